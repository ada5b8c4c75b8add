// The studio's shared horizontal view: zoom, scroll and width of the waveform column, so every lane,
// the ruler and the playhead map time to pixels the same way. Updated imperatively (no re-render per
// scroll); subscribers redraw themselves.
import { createEmitter } from '../../../shared/emitter.ts';

export interface ViewportState {
  /** Seconds covered by the timeline. */
  total: number;
  /** Width of the waveform column in CSS pixels. */
  width: number;
  /** Requested zoom; 0 fits the song to the width. */
  zoomPx: number;
  scrollLeft: number;
}

export interface Viewport {
  get(): ViewportState;
  /** Effective pixels per second (wavesurfer fills the width when the zoom would not). */
  pxPerSec(): number;
  set(patch: Partial<ViewportState>): void;
  subscribe(listener: (state: ViewportState) => void): () => void;
  timeAt(x: number): number;
  xAt(seconds: number): number;
}

export function createViewport(): Viewport {
  let state: ViewportState = { total: 0, width: 800, zoomPx: 0, scrollLeft: 0 };
  const events = createEmitter<{ change: ViewportState }>();
  const pxPerSec = () => (state.total > 0 ? Math.max(state.zoomPx, state.width / state.total) : 0);
  const viewport: Viewport = {
    get: () => state,
    pxPerSec,
    set(patch) {
      const next = { ...state, ...patch };
      const maxScroll = Math.max(
        0,
        next.total * (next.total > 0 ? Math.max(next.zoomPx, next.width / next.total) : 0) - next.width,
      );
      next.scrollLeft = Math.max(0, Math.min(maxScroll, next.scrollLeft));
      if (
        Object.keys(next).every(
          (key) => next[key as keyof ViewportState] === state[key as keyof ViewportState],
        )
      )
        return;
      state = next;
      events.emit('change', state);
    },
    subscribe: (listener) => events.on('change', listener),
    timeAt: (x) =>
      pxPerSec() > 0 ? Math.max(0, Math.min(state.total, (x + state.scrollLeft) / pxPerSec())) : 0,
    xAt: (seconds) => seconds * pxPerSec() - state.scrollLeft,
  };
  return viewport;
}
