// A lane's controls: drag handle, name, badges, solo, mute, gain (with its dB value) and a peak meter.
import { GAIN_MAX_DB, GAIN_MIN_DB, type LaneSettings } from './mix-model.ts';
import type { LaneSpec } from './lanes.ts';
import { LaneExport } from './LaneExport.tsx';
import { PeakMeter } from './PeakMeter.tsx';

interface LaneHeaderProps {
  lane: LaneSpec;
  settings: LaneSettings;
  color: string;
  isActive: boolean;
  meters: React.RefObject<Record<string, number>>;
  onToggle: (what: 'isMuted' | 'isSoloed') => void;
  onGain: (db: number) => void;
  onDragStart: (event: React.DragEvent) => void;
}

export function LaneHeader({
  lane,
  settings,
  color,
  isActive,
  meters,
  onToggle,
  onGain,
  onDragStart,
}: LaneHeaderProps) {
  const gainText =
    settings.gainDb <= GAIN_MIN_DB
      ? '−∞ dB'
      : `${settings.gainDb > 0 ? '+' : ''}${settings.gainDb.toFixed(1)} dB`;

  return (
    <div className="lane-header">
      <span
        className="drag-handle"
        draggable
        onDragStart={onDragStart}
        title="Drag to reorder"
        aria-hidden="true"
      >
        ⠿
      </span>
      <span className="lane-swatch" style={{ background: color }} aria-hidden="true" />
      <div className="lane-title">
        <span className="lane-name-row">
          <span className="lane-name" title={lane.name}>
            {lane.name}
          </span>
          {lane.trackId && lane.state === 'ready' && lane.kind !== 'residual' && (
            <LaneExport trackId={lane.trackId} name={lane.name} />
          )}
        </span>
        <span className="lane-badges">
          {lane.isNearSilent && (
            <span className="badge badge-empty" title="This stem is near-silent">
              empty
            </span>
          )}
          {lane.isSource && (
            <span className="badge badge-source" title="The A/B reference: what this task started from">
              source
            </span>
          )}
        </span>
      </div>
      <button
        type="button"
        className={`ms solo${settings.isSoloed ? ' on' : ''}`}
        aria-pressed={settings.isSoloed}
        aria-label={`Solo ${lane.name}`}
        title="Solo (S)"
        onClick={() => onToggle('isSoloed')}
      >
        S
      </button>
      <button
        type="button"
        className={`ms mute${settings.isMuted ? ' on' : ''}`}
        aria-pressed={settings.isMuted}
        aria-label={`Mute ${lane.name}`}
        title="Mute (M)"
        onClick={() => onToggle('isMuted')}
      >
        M
      </button>
      <div className="gain">
        <input
          type="range"
          min={GAIN_MIN_DB}
          max={GAIN_MAX_DB}
          step={0.5}
          value={settings.gainDb}
          aria-label={`${lane.name} gain`}
          aria-valuetext={gainText}
          title={`${gainText} (double-click for 0 dB)`}
          onChange={(event) => onGain(Number(event.currentTarget.value))}
          onDoubleClick={() => onGain(0)}
        />
        <PeakMeter laneId={lane.id} meters={meters} isActive={isActive} />
      </div>
      <span className="gain-value small" aria-hidden="true">
        {gainText}
      </span>
    </div>
  );
}
