// Pointer handling shared by the ruler and the waveforms: a click seeks, a drag selects the loop.
import { useCallback, useRef } from 'react';
import type { Viewport } from './viewport.ts';

const DRAG_THRESHOLD_PX = 4;

export function useTimeDrag(
  viewport: Viewport,
  onSeek: (seconds: number) => void,
  onLoop: (start: number, end: number) => void,
) {
  const handlers = useRef({ onSeek, onLoop });
  handlers.current = { onSeek, onLoop };
  return useCallback(
    (event: React.PointerEvent<HTMLElement>) => {
      if (event.button !== 0) return;
      const target = event.currentTarget;
      const left = target.getBoundingClientRect().left;
      const startX = event.clientX - left;
      const startTime = viewport.timeAt(startX);
      let isDragging = false;
      target.setPointerCapture(event.pointerId);
      const move = (e: PointerEvent) => {
        const x = e.clientX - left;
        if (!isDragging && Math.abs(x - startX) < DRAG_THRESHOLD_PX) return;
        isDragging = true;
        const time = viewport.timeAt(x);
        handlers.current.onLoop(Math.min(startTime, time), Math.max(startTime, time));
      };
      const up = () => {
        target.removeEventListener('pointermove', move);
        target.removeEventListener('pointerup', up);
        target.removeEventListener('pointercancel', up);
        if (!isDragging) handlers.current.onSeek(startTime);
      };
      target.addEventListener('pointermove', move);
      target.addEventListener('pointerup', up);
      target.addEventListener('pointercancel', up);
    },
    [viewport],
  );
}
