// The playhead and loop shading across all lanes, moved every frame from the engine's clock; the
// view follows the playhead when it leaves the screen while zoomed in.
import { useRef } from 'react';
import { hasRegion, type LoopRegion } from '../audio/loop.ts';
import { useAnimationFrame } from './use-animation-frame.ts';
import { useViewport } from './use-viewport.ts';
import type { Viewport } from './viewport.ts';

interface PlayheadProps {
  viewport: Viewport;
  loop: LoopRegion;
  isActive: boolean;
  isPlaying: boolean;
  position: () => number;
}

export function Playhead({ viewport, loop, isActive, isPlaying, position }: PlayheadProps) {
  const line = useRef<HTMLDivElement>(null);
  const view = useViewport(viewport);
  const shownX = useRef(NaN);
  useAnimationFrame(() => {
    const x = viewport.xAt(position());
    // Every frame, for a smooth line, but written only when it moves a pixel (a whole song at
    // the widest view moves a pixel every few frames; a style write makes Blink allocate).
    if (line.current && Math.round(x) !== shownX.current) {
      shownX.current = Math.round(x);
      line.current.style.transform = `translateX(${shownX.current}px)`;
    }
    if (isPlaying && (x > view.width - 8 || x < 0)) viewport.set({ scrollLeft: view.scrollLeft + x - 24 });
  }, isActive);
  const hasLoop = hasRegion(loop);
  return (
    <div className="playhead-layer" aria-hidden="true">
      {hasLoop && (
        <div
          className={`loop-shade${loop.isOn ? ' on' : ''}`}
          style={{ left: viewport.xAt(loop.start), width: (loop.end - loop.start) * viewport.pxPerSec() }}
        />
      )}
      <div ref={line} className="playhead" data-testid="playhead" />
    </div>
  );
}
