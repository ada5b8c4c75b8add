// Runs a callback on every animation frame while `isActive` (the playhead, clock and meters update
// straight from here instead of re-rendering React 60 times a second), or at most every
// `intervalMs`: the meters and the clock draw at 30 Hz, which is all a reader can follow (written
// as styles and text 60 times a second, they piled up 45-55 MB of Blink's garbage while a song
// played; they are canvases since, see PeakMeter.tsx and TransportClock.tsx).
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
