// The screen's device pixel ratio, kept current: it changes when the window moves to a screen of
// another density (a laptop's window dragged to an external monitor), and canvases sized for the
// old one are drawn stretched, blurry. One media query for every subscriber, watched anew at each
// change (a `resolution` query matches one ratio only).
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let query: MediaQueryList | null = null;

const currentRatio = () => window.devicePixelRatio || 1;

function watch(): void {
  query?.removeEventListener('change', changed);
  query = window.matchMedia(`(resolution: ${currentRatio()}dppx)`);
  query.addEventListener('change', changed);
}

function changed(): void {
  watch();
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) watch();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    query?.removeEventListener('change', changed);
    query = null;
  };
}

/** The device pixel ratio; the component renders again when it changes. */
export function usePixelRatio(): number {
  return useSyncExternalStore(subscribe, currentRatio);
}
