// A lyrics lane: the take's lines at their times on the shared timeline, the sung word lit as the
// playhead passes (words KIE could not align are shown dimmed and never lit); a click on a line seeks
// there. While KIE has not answered yet, the lane says so and offers to ask now.
import { memo, useRef, useState } from 'react';
import { wordAt, type LyricsView } from '../../../shared/lyrics.ts';
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { useAnimationFrame } from './use-animation-frame.ts';
import { useViewport } from './use-viewport.ts';
import type { Viewport } from './viewport.ts';

interface LyricsLaneProps {
  takeTaskId: string;
  takeTrackId: string;
  takeName: string;
  viewport: Viewport;
  isActive: boolean;
  position: () => number;
  onSeek: (seconds: number) => void;
}

/** A line may run on past its last word's time (a short line still shows a word or two), but never
 * into the next line: at a zoomed-out view its words are cut there (the full line is its tooltip). */
function lineWidth(lines: LyricsView['lines'], index: number, pxPerSec: number): number {
  const line = lines[index];
  if (!line) return 0;
  const own = (line.endSec - line.startSec) * pxPerSec + 80;
  const next = lines[index + 1];
  const room = next ? (next.startSec - line.startSec) * pxPerSec - 3 : Infinity;
  return Math.max(24, Math.min(own, room));
}

export const LyricsLane = memo(function LyricsLane(props: LyricsLaneProps) {
  const { takeTrackId, viewport } = props;
  const lyrics = useQuery<LyricsView>(queryKeys.lyrics(props.takeTaskId, takeTrackId), () =>
    api.call['lyrics.get']({ trackId: takeTrackId }),
  );
  const [fetchError, setFetchError] = useState<string | null>(null);
  const [isFetching, setIsFetching] = useState(false);
  useViewport(viewport);
  const box = useRef<HTMLDivElement>(null);
  const lit = useRef('');
  const lines = lyrics.data?.lines ?? [];

  useAnimationFrame(
    () => {
      const at = wordAt(lines, props.position());
      const key = at ? `${at[0]}:${at[1]}` : '';
      if (key === lit.current || !box.current) return;
      box.current.querySelector('.lyric-word.sung')?.classList.remove('sung');
      if (at) box.current.querySelector(`[data-word="${key}"]`)?.classList.add('sung');
      lit.current = key;
    },
    props.isActive && lines.length > 0,
  );

  const askNow = () => {
    setIsFetching(true);
    setFetchError(null);
    void api.call['lyrics.fetch']({ trackId: takeTrackId }).then((result) => {
      setIsFetching(false);
      if (!result.ok) setFetchError(result.error.message);
    });
  };

  const px = viewport.pxPerSec();
  const state = lyrics.data?.state ?? 'pending';
  return (
    <div
      className="lyrics-lane"
      role="group"
      aria-label={`Lyrics of ${props.takeName}`}
      data-lyrics-of={takeTrackId}
    >
      <div className="lane-header lyrics-header">
        <span className="lyrics-title">Lyrics</span>
        <span className="muted small">{props.takeName}</span>
        {state === 'pending' && (
          <button type="button" className="lyrics-ask small" onClick={askNow} disabled={isFetching}>
            {isFetching ? 'Asking KIE…' : 'Ask KIE now'}
          </button>
        )}
      </div>
      <div className="lyrics-track" ref={box}>
        {state === 'pending' && (
          <span className="lyrics-note muted small">
            {fetchError ?? 'Lyrics come from KIE once the take is finished.'}
          </span>
        )}
        {lines.map((line, l) => (
          <button
            key={`${l}:${line.startSec}`}
            type="button"
            className="lyric-line"
            style={{ left: viewport.xAt(line.startSec), maxWidth: lineWidth(lines, l, px) }}
            title={`${line.text} (click to play from here)`}
            onClick={() => props.onSeek(line.startSec)}
          >
            {line.words.map((word, w) => (
              <span
                key={w}
                data-word={`${l}:${w}`}
                className={`lyric-word${word.isAligned ? '' : ' unaligned'}`}
                title={word.isAligned ? undefined : 'KIE could not time this word'}
              >
                {word.text}
              </span>
            ))}
          </button>
        ))}
      </div>
    </div>
  );
});
