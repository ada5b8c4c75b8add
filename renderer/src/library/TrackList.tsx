// A task's takes or stems with their download state, tempo and key; takes can be split into stems
// from here.
import { STEM_LABELS } from '../../../shared/api.ts';
import type { TaskView, TrackView } from '../../../shared/domain.ts';
import { formatClock } from '../common/format.ts';
import { TempoKey } from '../common/TempoKey.tsx';
import { trackColor } from '../studio/colors.ts';
import { SplitButton } from './SplitButton.tsx';

const TRACK_STATES: Record<TrackView['state'], string> = {
  remote: 'waiting',
  downloading: 'downloading',
  ready: 'saved',
  error: 'failed',
};

function trackName(track: TrackView, index: number): string {
  return track.stem === 'take' ? `Take ${index + 1}` : STEM_LABELS[track.stem];
}

export function TrackList({ task }: { task: TaskView }) {
  if (task.tracks.length === 0) {
    return <p className="muted small">{task.state === 'failed' ? 'No files.' : 'Nothing announced yet.'}</p>;
  }
  const takes = task.tracks.filter((t) => t.stem === 'take');
  return (
    <ul className="track-list">
      {task.tracks.map((track) => {
        const name = trackName(track, takes.indexOf(track));
        return (
          <li key={track.id} className="track-item" data-track-state={track.state}>
            <span
              className="stem-swatch"
              style={{ background: trackColor(track.stem, takes.indexOf(track)) }}
              aria-hidden="true"
            />
            <span className="track-name">{name}</span>
            {track.isNearSilent && <span className="badge badge-empty">empty</span>}
            <span className="muted small">{track.durationSec ? formatClock(track.durationSec) : ''}</span>
            <span className={`small track-state-${track.state}`} title={track.error ?? undefined}>
              {TRACK_STATES[track.state]}
            </span>
            {track.stem === 'take' && track.audioId && task.state !== 'failed' && (
              <SplitButton task={task} track={track} name={name} />
            )}
            {track.analysis !== null && (
              <TempoKey
                tempo={track.tempo}
                musicalKey={track.key}
                tempoTrackId={track.id}
                keyTrackId={track.id}
                analysis={track.analysis}
                label={name}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
