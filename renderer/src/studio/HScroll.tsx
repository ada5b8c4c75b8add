// The one horizontal scrollbar of the studio when zoomed in; all lanes follow it.
import { useEffect, useRef } from 'react';
import { useViewport } from './use-viewport.ts';
import type { Viewport } from './viewport.ts';

export function HScroll({ viewport }: { viewport: Viewport }) {
  const bar = useRef<HTMLDivElement>(null);
  const view = useViewport(viewport);
  const content = view.total * viewport.pxPerSec();
  useEffect(() => {
    if (bar.current && Math.abs(bar.current.scrollLeft - view.scrollLeft) >= 1)
      bar.current.scrollLeft = view.scrollLeft;
  }, [view.scrollLeft]);
  if (content <= view.width + 1) return null;
  return (
    <div className="hscroll-row">
      <div className="ruler-corner" />
      <div
        ref={bar}
        className="hscroll"
        aria-label="Scroll the timeline"
        onScroll={(event) => viewport.set({ scrollLeft: event.currentTarget.scrollLeft })}
      >
        <div style={{ width: content, height: 1 }} />
      </div>
    </div>
  );
}
