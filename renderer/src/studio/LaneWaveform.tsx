// The waveform side of a lane: stored peaks at a resolution fit for the zoom (tracks.peaks), padded
// to the timeline, or what the lane still waits for; a click seeks and a drag sets the loop.
import { useEffect, useMemo } from 'react';
import { api } from '../api/window-api.ts';
import { padPeaks, toLanePeaks, type LanePeaks } from '../audio/peaks-math.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { laneStatusText, streamPreviewUrl, type LaneSpec } from './lanes.ts';
import type { Viewport } from './viewport.ts';
import { Waveform } from './Waveform.tsx';

interface LaneWaveformProps {
  lane: LaneSpec;
  failure: string | null;
  total: number;
  pixels: number;
  height: number;
  color: string;
  viewport: Viewport;
  onPointerDown: (event: React.PointerEvent<HTMLElement>) => void;
  onDrawn: (laneId: string) => void;
  /** Drawn over the waveform in the same time coordinates (the MIDI note strip). */
  overlay?: React.ReactNode;
}

export function LaneWaveform({
  lane,
  failure,
  total,
  pixels,
  height,
  color,
  viewport,
  onPointerDown,
  onDrawn,
  overlay,
}: LaneWaveformProps) {
  const wantsPeaks = lane.trackId !== null && lane.state === 'ready';
  // Kept converted: the query cache holds the compact arrays, not the JSON's.
  const stored = useQuery<LanePeaks>(
    wantsPeaks ? queryKeys.peaks(lane.trackId ?? '', pixels) : null,
    async () => {
      const view = await api.call['tracks.peaks']({ trackId: lane.trackId ?? '', pixels });
      return view.ok ? { ok: true, value: toLanePeaks(view.value) } : view;
    },
  );
  const source = stored.data;
  const peaks = useMemo(
    () => (source ? padPeaks(source.peaks, source.duration, total) : null),
    [source, total],
  );

  const isUnavailable = (lane.state === 'error' && lane.note !== null) || stored.error !== null;
  // A lane that can never draw still counts as settled, so "all lanes drawn" can be reached.
  useEffect(() => {
    if (isUnavailable) onDrawn(lane.id);
  }, [isUnavailable, onDrawn, lane.id]);

  const isStreaming = streamPreviewUrl(lane) !== null && lane.durationSec !== null;
  let placeholder = laneStatusText(lane);
  if (placeholder !== null) placeholder = isStreaming ? `Playing KIE's stream · ${placeholder}` : placeholder;
  else if (stored.error) placeholder = stored.error.message;
  else if (!peaks) placeholder = 'Loading…';

  return (
    <div className="lane-wave" onPointerDown={onPointerDown} style={{ height }}>
      {failure && (
        <p className="lane-failure" role="alert">
          Could not load this lane: {failure}. The other lanes play without it.
        </p>
      )}
      {peaks && peaks.length > 0 && total > 0 ? (
        <Waveform
          peaks={peaks}
          duration={total}
          color={color}
          height={height - 8}
          viewport={viewport}
          label={lane.name}
          onDrawn={() => onDrawn(lane.id)}
        />
      ) : (
        <div
          className={`lane-placeholder${lane.state === 'error' ? ' bad' : ''}${isStreaming ? ' streaming' : ''}`}
          data-testid="lane-status"
        >
          {placeholder}
        </div>
      )}
      {overlay}
    </div>
  );
}
