// A lane's controls: drag handle, name, badges, solo, mute, gain (with its dB value) and a peak meter.
import { useRef } from 'react';
import { GAIN_MAX_DB, GAIN_MIN_DB, type LaneSettings } from './mix-model.ts';
import type { LaneSpec } from './lanes.ts';
import { LaneExport } from './LaneExport.tsx';
import { DISPLAY_INTERVAL_MS, useAnimationFrame } from './use-animation-frame.ts';

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

/** A meter's visible resolution (its bar is about 60 px long). */
const METER_STEPS = 64;

function meterPercent(peak: number): number {
  if (peak <= 0) return 0;
  const db = 20 * Math.log10(peak);
  return Math.max(0, Math.min(100, ((db + 60) / 60) * 100));
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
  const meter = useRef<HTMLDivElement>(null);
  const level = useRef(0);
  const shown = useRef(0);
  useAnimationFrame(
    () => {
      const peak = meters.current?.[lane.id] ?? 0;
      // Fall back slowly like a hardware meter (90 % a second), so short peaks stay visible.
      level.current = Math.max(meterPercent(peak), level.current - 3);
      // Written only when it moves a visible step: a still or silent lane writes nothing.
      const scale = Math.round((level.current / 100) * METER_STEPS) / METER_STEPS;
      if (scale === shown.current || !meter.current) return;
      shown.current = scale;
      meter.current.style.transform = `scaleX(${scale})`;
    },
    isActive,
    DISPLAY_INTERVAL_MS,
  );
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
        <div className="meter" aria-hidden="true">
          <div ref={meter} className="meter-fill" />
        </div>
      </div>
      <span className="gain-value small" aria-hidden="true">
        {gainText}
      </span>
    </div>
  );
}
