// The studio's mix as data: per-lane gain (dB), solo, mute, lane order, selection, loop, zoom and
// A/B, changed only through `studioReducer`; `effectiveMix` turns it into what the engine plays (pure).
import { NO_LOOP, ordered, type LoopRegion } from '../audio/loop.ts';
import type { LaneMix } from '../audio/messages.ts';
import type { LaneSpec } from './lanes.ts';

export const GAIN_MIN_DB = -60;
export const GAIN_MAX_DB = 6;
export const ZOOM_STEPS = [0, 20, 40, 80, 160, 320, 640] as const;

export interface LaneSettings {
  gainDb: number;
  isMuted: boolean;
  isSoloed: boolean;
}

export interface StudioState {
  lanes: Record<string, LaneSettings>;
  order: string[];
  selectedId: string | null;
  loop: LoopRegion;
  /** Index into ZOOM_STEPS; 0 fits the song to the window. */
  zoom: number;
  /**
   * `off` ("Mix", the default) and `b` play the results with their solo, mute and gain, never the
   * source: that is what the mixdown export writes. `a` plays only the source.
   */
  ab: 'off' | 'a' | 'b';
}

export type StudioAction =
  | { type: 'sync'; ids: string[] }
  | { type: 'lane'; id: string; patch: Partial<LaneSettings> }
  | { type: 'toggle'; id: string; what: 'isMuted' | 'isSoloed' }
  | { type: 'select'; id: string | null }
  | { type: 'selectNext'; step: 1 | -1 }
  | { type: 'move'; id: string; before: string | null }
  | { type: 'loop'; patch: Partial<StudioState['loop']> }
  | { type: 'zoom'; step: 1 | -1 | 'fit' }
  | { type: 'ab'; value: StudioState['ab'] };

export const DEFAULT_LANE: LaneSettings = { gainDb: 0, isMuted: false, isSoloed: false };

export function initialStudio(): StudioState {
  return {
    lanes: {},
    order: [],
    selectedId: null,
    loop: { ...NO_LOOP },
    zoom: 0,
    ab: 'off',
  };
}

export function studioReducer(state: StudioState, action: StudioAction): StudioState {
  switch (action.type) {
    case 'sync': {
      const kept = state.order.filter((id) => action.ids.includes(id));
      const order = [...kept, ...action.ids.filter((id) => !kept.includes(id))];
      const lanes = Object.fromEntries(order.map((id) => [id, state.lanes[id] ?? DEFAULT_LANE]));
      const selectedId =
        state.selectedId && order.includes(state.selectedId) ? state.selectedId : (order[0] ?? null);
      return { ...state, lanes, order, selectedId };
    }
    case 'lane':
      return {
        ...state,
        lanes: {
          ...state.lanes,
          [action.id]: { ...(state.lanes[action.id] ?? DEFAULT_LANE), ...action.patch },
        },
      };
    case 'toggle': {
      const lane = state.lanes[action.id] ?? DEFAULT_LANE;
      return studioReducer(state, {
        type: 'lane',
        id: action.id,
        patch: { [action.what]: !lane[action.what] },
      });
    }
    case 'select':
      return { ...state, selectedId: action.id };
    case 'selectNext': {
      const index = state.order.indexOf(state.selectedId ?? '');
      const next = state.order[Math.max(0, Math.min(state.order.length - 1, index + action.step))];
      return { ...state, selectedId: next ?? state.selectedId };
    }
    case 'move': {
      const order = state.order.filter((id) => id !== action.id);
      const at = action.before === null ? order.length : order.indexOf(action.before);
      order.splice(at < 0 ? order.length : at, 0, action.id);
      return { ...state, order };
    }
    case 'loop': {
      return { ...state, loop: ordered({ ...state.loop, ...action.patch }) };
    }
    case 'zoom': {
      const zoom =
        action.step === 'fit' ? 0 : Math.max(0, Math.min(ZOOM_STEPS.length - 1, state.zoom + action.step));
      return { ...state, zoom };
    }
    case 'ab':
      return { ...state, ab: action.value };
  }
}

export function dbToGain(db: number): number {
  return db <= GAIN_MIN_DB ? 0 : 10 ** (db / 20);
}

/** What each lane contributes once A/B is applied; solo and mute themselves are applied by the mixer. */
export function effectiveMix(state: StudioState, lanes: LaneSpec[]): Map<string, LaneMix> {
  const mix = new Map<string, LaneMix>();
  for (const lane of lanes) {
    const settings = state.lanes[lane.id] ?? DEFAULT_LANE;
    const gain = dbToGain(settings.gainDb);
    if (state.ab === 'a') mix.set(lane.id, { gain, isMuted: !lane.isSource, isSoloed: false });
    else if (lane.isSource) mix.set(lane.id, { gain, isMuted: true, isSoloed: false });
    // The residual is heard when soloed: stems + residual would add up to the source again.
    else if (lane.kind === 'residual')
      mix.set(lane.id, {
        gain,
        isMuted: settings.isMuted || !settings.isSoloed,
        isSoloed: settings.isSoloed,
      });
    else mix.set(lane.id, { gain, isMuted: settings.isMuted, isSoloed: settings.isSoloed });
  }
  return mix;
}

/** The lanes the mixer actually hears with this mix (the rule of audio/mix.ts `isAudible`). */
export function audibleLanes(mix: Map<string, LaneMix>): Set<string> {
  const isAnySoloed = [...mix.values()].some((lane) => lane.isSoloed);
  const audible = new Set<string>();
  for (const [id, lane] of mix)
    if (lane.gain > 0 && !lane.isMuted && (!isAnySoloed || lane.isSoloed)) audible.add(id);
  return audible;
}
