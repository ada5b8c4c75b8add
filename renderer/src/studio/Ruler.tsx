// The time ruler above the lanes: ticks at a readable spacing for the zoom, and the loop region;
// click to seek, drag to choose the loop.
import { hasRegion, type LoopRegion } from '../audio/loop.ts';
import { formatClock } from '../common/format.ts';
import { useViewport } from './use-viewport.ts';
import type { Viewport } from './viewport.ts';

const STEPS = [0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120];
const MIN_TICK_PX = 64;

function tickLabel(t: number, step: number): string {
  if (step >= 1) return formatClock(t);
  const minutes = Math.floor(t / 60);
  const seconds = (t - minutes * 60).toFixed(step < 0.5 ? 2 : 1);
  return `${minutes}:${seconds.padStart(step < 0.5 ? 5 : 4, '0')}`;
}

interface RulerProps {
  viewport: Viewport;
  loop: LoopRegion;
  onPointerDown: (event: React.PointerEvent<HTMLElement>) => void;
  /** Marks drawn over the ticks (the song's sections). */
  children?: React.ReactNode;
}

export function Ruler({ viewport, loop, onPointerDown, children }: RulerProps) {
  const view = useViewport(viewport);
  const px = viewport.pxPerSec();
  const step = STEPS.find((s) => s * px >= MIN_TICK_PX) ?? 300;
  const first = Math.floor(view.scrollLeft / px / step) * step;
  const last = (view.scrollLeft + view.width) / px;
  const ticks: number[] = [];
  for (let t = first; px > 0 && t <= last && ticks.length < 200; t += step) ticks.push(t);
  const hasLoop = hasRegion(loop);

  return (
    <div className="ruler-row">
      <div className="ruler-corner muted small">Lanes</div>
      <div
        className="ruler"
        onPointerDown={onPointerDown}
        data-testid="ruler"
        title="Click to move the playhead, drag to choose a loop"
      >
        {hasLoop && (
          <div
            className={`ruler-loop${loop.isOn ? ' on' : ''}`}
            style={{ left: viewport.xAt(loop.start), width: (loop.end - loop.start) * px }}
          />
        )}
        {ticks.map((t) => (
          <span key={t} className="tick" style={{ left: viewport.xAt(t) }}>
            {tickLabel(t, step)}
          </span>
        ))}
        {children}
      </div>
    </div>
  );
}
