// One lane of the studio: its header and its waveform; rows can be dragged by the handle to reorder.
import { memo } from 'react';
import type { LaneSettings } from './mix-model.ts';
import type { LaneSpec } from './lanes.ts';
import { LaneHeader } from './LaneHeader.tsx';
import { LaneWaveform } from './LaneWaveform.tsx';
import { LeakMeter } from './LeakMeter.tsx';
import type { Viewport } from './viewport.ts';
import type { MidiNote } from '../../../shared/midi.ts';
import { NoteStrip } from './NoteStrip.tsx';

const DRAG_TYPE = 'application/x-stemhook-lane';

interface LaneRowProps {
  lane: LaneSpec;
  settings: LaneSettings;
  color: string;
  /** Heard in the mix as it is now (not muted, soloed out, outside A/B, or failed). */
  isAudible: boolean;
  /** Why the lane's audio could not load, or null. */
  failure: string | null;
  isSelected: boolean;
  isActive: boolean;
  height: number;
  total: number;
  pixels: number;
  viewport: Viewport;
  meters: React.RefObject<Record<string, number>>;
  onSelect: (id: string) => void;
  onToggle: (id: string, what: 'isMuted' | 'isSoloed') => void;
  onGain: (id: string, db: number) => void;
  onMove: (id: string, before: string) => void;
  onPointerDown: (event: React.PointerEvent<HTMLElement>) => void;
  onDrawn: (laneId: string) => void;
  /** The stem's transcribed notes, or null for no note strip. */
  notes: readonly MidiNote[] | null;
}

export const LaneRow = memo(function LaneRow(props: LaneRowProps) {
  const { lane, settings, isSelected, color } = props;
  return (
    <div
      className={`lane${isSelected ? ' selected' : ''}${props.isAudible ? '' : ' inaudible'}${lane.isSource ? ' source-lane' : ''}`}
      role="group"
      aria-label={lane.name}
      data-audible={props.isAudible ? 'true' : 'false'}
      data-lane-id={lane.id}
      data-stem={lane.stem}
      style={{ height: props.height }}
      onPointerDownCapture={() => props.onSelect(lane.id)}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes(DRAG_TYPE)) event.preventDefault();
      }}
      onDrop={(event) => {
        const id = event.dataTransfer.getData(DRAG_TYPE);
        if (id && id !== lane.id) props.onMove(id, lane.id);
      }}
    >
      <LaneHeader
        lane={lane}
        settings={settings}
        color={color}
        isActive={props.isActive}
        meters={props.meters}
        onToggle={(what) => props.onToggle(lane.id, what)}
        onGain={(db) => props.onGain(lane.id, db)}
        onDragStart={(event) => {
          event.dataTransfer.setData(DRAG_TYPE, lane.id);
          event.dataTransfer.setData('text/plain', lane.name);
          event.dataTransfer.effectAllowed = 'move';
        }}
      />
      <LaneWaveform
        lane={lane}
        failure={props.failure}
        total={props.total}
        pixels={props.pixels}
        height={props.height}
        color={color}
        viewport={props.viewport}
        onPointerDown={props.onPointerDown}
        onDrawn={props.onDrawn}
        overlay={
          props.notes && (
            <NoteStrip notes={props.notes} color={color} viewport={props.viewport} label={lane.name} />
          )
        }
      />
      {lane.residual && <LeakMeter residual={lane.residual} />}
    </div>
  );
});
