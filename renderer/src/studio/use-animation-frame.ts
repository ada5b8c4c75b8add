// Runs a callback on every animation frame while `isActive` (the playhead, clock and meters update
// the DOM directly this way instead of re-rendering React 60 times a second), or at most every
// `intervalMs`: every style or text write makes Blink allocate (a new ComputedStyle, layout
// objects), and the meters and clock written 60 times a second piled up 45-55 MB of Blink's garbage
// between collections while a song played.
import { useEffect, useRef } from 'react';

/** Meters and the clock: what hardware meters and DAW counters update at. */
export const DISPLAY_INTERVAL_MS = 1000 / 30;

export function useAnimationFrame(callback: () => void, isActive = true, intervalMs = 0): void {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    if (!isActive) return;
    let handle = 0;
    let last = -Infinity;
    const loop = (now: number) => {
      // A frame's timestamps jitter by a millisecond: 30 Hz must not fall to 20 Hz at 60 frames.
      if (now - last >= intervalMs - 2) {
        last = now;
        latest.current();
      }
      handle = requestAnimationFrame(loop);
    };
    handle = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(handle);
  }, [isActive, intervalMs]);
}
