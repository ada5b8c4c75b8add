// A small, read-mostly handle on the audio side for end-to-end tests and benchmarks: it can do no
// more than the UI can (render the current mix, read the engine), so exposing it costs nothing.
import { renderOffline } from './render-offline.ts';
import type { PlaybackEngine } from './playback-engine.ts';
import type { OfflineLane } from './render-offline.ts';
import type { LoopRegion } from './loop.ts';

export interface StudioDebugHandle {
  engine: PlaybackEngine;
  /** Lanes as the studio currently mixes them (ids, track ids, gain/solo/mute). */
  lanes(): OfflineLane[];
  loop(): LoopRegion;
}

export interface StemhookDebug {
  renderOffline: typeof renderOffline;
  studio: StudioDebugHandle | null;
  marks: Record<string, number>;
}

declare global {
  interface Window {
    stemhookDebug?: StemhookDebug;
  }
}

export const debugHook: StemhookDebug = { renderOffline, studio: null, marks: {} };
window.stemhookDebug = debugHook;

/** Records when something user-visible happened (e.g. all lanes drawn), for tests and benchmarks;
 * also a User Timing mark, so it shows in a DevTools performance recording. */
export function mark(name: string): void {
  debugHook.marks[name] = performance.now();
  performance.mark(name);
}
