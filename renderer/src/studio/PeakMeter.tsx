// A lane's peak meter, drawn on a canvas: a canvas redraw touches no style and no layout, where a
// style write per meter (14 lanes, 30 times a second) made Blink allocate a new ComputedStyle each
// time and piled up about 14 MB of its garbage over 20 s of play (stream bench, memory dump).
import { useEffect, useRef } from 'react';
import { DISPLAY_INTERVAL_MS, useAnimationFrame } from './use-animation-frame.ts';
import { usePixelRatio } from './use-pixel-ratio.ts';

/** A meter's visible resolution (its bar is about 70 px long). */
const METER_STEPS = 64;
/** How far the shown level falls per update (percent of the scale): about 90 % a second at 30 Hz,
 * like a hardware meter, so short peaks stay visible. */
const FALL_PER_UPDATE = 3;

/** A peak (0..1 of full scale) on the meter's scale: -60 dBFS to 0 dBFS as 0 to 100. */
function meterPercent(peak: number): number {
  if (peak <= 0) return 0;
  const db = 20 * Math.log10(peak);
  return Math.max(0, Math.min(100, ((db + 60) / 60) * 100));
}

interface PeakMeterProps {
  laneId: string;
  meters: React.RefObject<Record<string, number>>;
  isActive: boolean;
}

export function PeakMeter({ laneId, meters, isActive }: PeakMeterProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const paint = useRef<{ context: CanvasRenderingContext2D; fill: CanvasGradient } | null>(null);
  const level = useRef(0);
  const shown = useRef(0);

  const ratio = usePixelRatio();
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const style = getComputedStyle(element);
    const colour = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    // Sized in device pixels whenever its box changes (a lane added to a hidden studio has none
    // until the studio shows) or the screen's pixel ratio does (this effect runs again), so the bar
    // stays sharp without reading the layout on every update.
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.round((entry?.contentRect.width ?? 0) * ratio);
      const height = Math.round((entry?.contentRect.height ?? 0) * ratio);
      if (width === 0 || height === 0) return;
      element.width = width;
      element.height = height;
      const fill = context.createLinearGradient(0, 0, width, 0);
      fill.addColorStop(0, colour('--accent', '#4fd1c5'));
      fill.addColorStop(0.7, colour('--accent', '#4fd1c5'));
      fill.addColorStop(0.88, colour('--amber', '#f6ad55'));
      fill.addColorStop(1, colour('--red', '#fc8181'));
      paint.current = { context, fill };
      // Touched now, so the canvas has its backing store before the first play, not at it.
      context.clearRect(0, 0, width, height);
      shown.current = -1; // resizing cleared it: drawn again at the next update
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ratio]);

  useAnimationFrame(
    () => {
      // The loudest peak since the last draw, taken (see use-playback.ts): none while paused.
      const peaks = meters.current;
      const peak = peaks?.[laneId] ?? 0;
      if (peaks && peak > 0) peaks[laneId] = 0;
      level.current = Math.max(meterPercent(peak), level.current - FALL_PER_UPDATE);
      // Drawn only when the bar moves a visible step: a still or silent lane draws nothing.
      const scale = Math.round((level.current / 100) * METER_STEPS) / METER_STEPS;
      const target = paint.current;
      if (scale === shown.current || !target) return;
      shown.current = scale;
      const { context, fill } = target;
      const { width, height } = context.canvas;
      context.clearRect(0, 0, width, height);
      context.fillStyle = fill;
      context.fillRect(0, 0, Math.round(width * scale), height);
    },
    isActive,
    DISPLAY_INTERVAL_MS,
  );

  return <canvas ref={canvas} className="meter" data-testid="meter" aria-hidden="true" />;
}
