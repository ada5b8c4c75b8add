// The single transport: play/pause, stop, the clock, loop, A/B against the source and zoom.
import { hasRegion, toggledIsOn } from '../audio/loop.ts';
import { formatClock } from '../common/format.ts';
import { ZOOM_STEPS, type StudioAction, type StudioState } from './mix-model.ts';
import { TransportClock } from './TransportClock.tsx';

interface TransportProps {
  state: StudioState;
  total: number;
  isPlaying: boolean;
  isActive: boolean;
  isReady: boolean;
  hasSource: boolean;
  loading: { loaded: number; total: number };
  position: () => number;
  dispatch: (action: StudioAction) => void;
  onToggle: () => void;
  onStop: () => void;
}

const AB_TITLES = {
  off: 'The results as you mix them: what the mixdown export writes',
  a: 'The source alone',
  b: 'The results, to compare against the source (the A key steps Mix, A, B)',
} as const;

export function Transport({
  state,
  total,
  isPlaying,
  isActive,
  isReady,
  hasSource,
  loading,
  position,
  dispatch,
  onToggle,
  onStop,
}: TransportProps) {
  const { loop } = state;
  const hasLoop = hasRegion(loop);
  const percent = loading.total > 0 ? Math.round((loading.loaded / loading.total) * 100) : 100;

  return (
    <div className="transport" role="toolbar" aria-label="Transport">
      <button
        type="button"
        className="transport-play"
        aria-label={isPlaying ? 'Pause' : 'Play'}
        aria-keyshortcuts="Space"
        disabled={!isReady}
        onClick={onToggle}
      >
        {isPlaying ? '❚❚' : '▶'}
      </button>
      <button
        type="button"
        className="transport-button"
        aria-label="Stop"
        disabled={!isReady}
        onClick={onStop}
      >
        ■
      </button>
      <div className="clock" role="timer" aria-label="Position">
        <TransportClock total={total} isPlaying={isPlaying} isActive={isActive} position={position} />
        <span className="muted"> / {formatClock(total, true)}</span>
      </div>
      <div className="transport-group loop-group">
        <button
          type="button"
          className={`toggle${loop.isOn ? ' on' : ''}`}
          aria-pressed={loop.isOn}
          aria-keyshortcuts="L"
          disabled={!hasLoop}
          title={hasLoop ? 'Loop (L)' : 'Drag across the ruler or a waveform to choose a loop'}
          onClick={() => dispatch({ type: 'loop', patch: { isOn: toggledIsOn(loop) } })}
        >
          ⟲ Loop
        </button>
        <span className="muted small loop-range" data-testid="loop-range">
          {hasLoop
            ? `${formatClock(loop.start, true)} – ${formatClock(loop.end, true)}`
            : 'drag on the timeline to set'}
        </span>
      </div>
      {hasSource && (
        <div className="segmented small" role="radiogroup" aria-label="A/B against the source">
          {(['off', 'a', 'b'] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={state.ab === value}
              className={`segment-button${state.ab === value ? ' selected' : ''}`}
              title={AB_TITLES[value]}
              onClick={() => dispatch({ type: 'ab', value })}
            >
              {value === 'off' ? 'Mix' : value === 'a' ? 'A · Source' : 'B · Result'}
            </button>
          ))}
        </div>
      )}
      <div className="transport-group zoom" aria-label="Zoom">
        <button
          type="button"
          className="transport-button"
          aria-label="Zoom out"
          aria-keyshortcuts="-"
          disabled={state.zoom === 0}
          onClick={() => dispatch({ type: 'zoom', step: -1 })}
        >
          −
        </button>
        <span className="small muted zoom-level">
          {state.zoom === 0 ? 'Fit' : `${ZOOM_STEPS[state.zoom]} px/s`}
        </span>
        <button
          type="button"
          className="transport-button"
          aria-label="Zoom in"
          aria-keyshortcuts="+"
          disabled={state.zoom === ZOOM_STEPS.length - 1}
          onClick={() => dispatch({ type: 'zoom', step: 1 })}
        >
          +
        </button>
      </div>
      {percent < 100 && (
        <span className="muted small loading" aria-live="polite">
          Loading audio {percent}%
        </span>
      )}
    </div>
  );
}
