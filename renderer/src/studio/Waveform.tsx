// One lane's waveform, drawn by wavesurfer.js from stored peaks and a duration only (no URL, no
// decoding), following the shared viewport's zoom and scroll.
import { memo, useEffect, useRef } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { peakMax } from '../audio/peaks-math.ts';
import type { Viewport } from './viewport.ts';

/**
 * wavesurfer redraws a waveform whenever its container's width differs from the width it last drew
 * for, and it starts from 0: its resize observer's first report, 100 ms after the waveform is made,
 * drew every lane a second time (14 timer tasks of about 2 ms with forced layouts, in the traces of
 * a studio's opening, where a Play pressed then waited behind them). The width of the first drawing
 * is known once it is drawn; a real resize still redraws. The field is private to wavesurfer (8.0):
 * the studio e2e test fails if a lane is drawn twice as it opens, or not again when its width changes.
 */
function knowDrawnWidth(ws: WaveSurfer, container: HTMLElement): void {
  const renderer = ws.getRenderer() as unknown as { lastContainerWidth?: number };
  if (typeof renderer.lastContainerWidth === 'number') renderer.lastContainerWidth = container.clientWidth;
}

interface WaveformProps {
  peaks: Float32Array[];
  duration: number;
  color: string;
  height: number;
  viewport: Viewport;
  label: string;
  onDrawn: () => void;
}

export const Waveform = memo(function Waveform({
  peaks,
  duration,
  color,
  height,
  viewport,
  label,
  onDrawn,
}: WaveformProps) {
  const box = useRef<HTMLDivElement>(null);
  const drawn = useRef(onDrawn);
  drawn.current = onDrawn;
  const surfer = useRef<WaveSurfer | null>(null);
  const heightRef = useRef(height);
  heightRef.current = height;

  useEffect(() => {
    const container = box.current;
    if (!container || duration <= 0 || peaks.length === 0) return;
    const { zoomPx, scrollLeft } = viewport.get();
    const ws = WaveSurfer.create({
      container,
      peaks,
      duration,
      height: heightRef.current,
      waveColor: color,
      progressColor: color,
      cursorWidth: 0,
      interact: false,
      minPxPerSec: zoomPx,
      fillParent: true,
      hideScrollbar: true,
      autoScroll: false,
      autoCenter: false,
      // Quiet stems fill their lane, but never by more than +26 dB, so a near-silent one stays flat.
      normalize: true,
      maxPeak: Math.max(0.05, peakMax(peaks)),
      barWidth: 2,
      barGap: 1,
    });
    let isFirst = true;
    let zoom = zoomPx;
    // wavesurfer throws "No audio loaded" when zoomed before it has taken the peaks in, and the
    // viewport changes whenever the user zooms: apply the latest zoom once it is ready instead.
    let isLoaded = false;
    ws.on('ready', () => {
      isLoaded = true;
      if (zoom !== zoomPx) ws.zoom(zoom);
    });
    let draws = 0;
    ws.on('redrawcomplete', () => {
      ws.setScroll(viewport.get().scrollLeft);
      container.dataset.drawn = 'true';
      container.dataset.draws = String(++draws);
      if (isFirst) {
        knowDrawnWidth(ws, container);
        drawn.current();
      }
      isFirst = false;
    });
    ws.on('scroll', (_start, _end, left) => viewport.set({ scrollLeft: left }));
    if (scrollLeft) ws.setScroll(scrollLeft);
    const stop = viewport.subscribe((state) => {
      if (state.zoomPx !== zoom) {
        zoom = state.zoomPx;
        if (isLoaded) ws.zoom(zoom);
      }
      if (Math.abs(ws.getScroll() - state.scrollLeft) >= 1) ws.setScroll(state.scrollLeft);
    });
    surfer.current = ws;
    return () => {
      stop();
      surfer.current = null;
      ws.destroy();
      delete container.dataset.drawn;
      delete container.dataset.draws;
    };
  }, [peaks, duration, color, viewport]);

  // A new lane height (window resized, lanes added) redraws in place instead of starting over.
  useEffect(() => {
    if (surfer.current && surfer.current.options.height !== height) surfer.current.setOptions({ height });
  }, [height]);

  return <div ref={box} className="waveform" role="img" aria-label={`${label} waveform`} />;
});
