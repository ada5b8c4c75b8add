// Runs a callback on every animation frame while `isActive` (the playhead, clock and meters update
// the DOM directly this way instead of re-rendering React 60 times a second).
import { useEffect, useRef } from 'react';

export function useAnimationFrame(callback: () => void, isActive = true): void {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    if (!isActive) return;
    let handle = 0;
    const loop = () => {
      latest.current();
      handle = requestAnimationFrame(loop);
    };
    handle = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(handle);
  }, [isActive]);
}
