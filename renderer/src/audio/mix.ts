// The mixer's sample loop, shared by the AudioWorklet and the Node unit tests: int16 lanes kept in
// fixed-size chunks, per-lane gain/solo/mute, one transport position and a gapless loop. Every lane
// reads the same frame index in the same block, which is what keeps lanes sample-exact.
import { isPastEnd, nextFrame, NO_LOOP, type LoopRegion } from './loop.ts';

/** Frames per chunk (a power of two, so the chunk of a frame is a shift away) when a lane is held
 * whole; streamed lanes use smaller chunks (see stream-window.ts), so each lane carries its shift. */
export const CHUNK_SHIFT = 17;
export const CHUNK_FRAMES = 1 << CHUNK_SHIFT;
const INT16_SCALE = 1 / 32768;

export interface MixLane {
  id: string;
  channels: number;
  /** Length in the lane's own frames. */
  frames: number;
  /** Lane frames per output frame: 1 at the context's rate (all stems of a task); other rates are rare
   * (a source file at another rate), so they play by nearest sample instead of being resampled. */
  step: number;
  /** log2 of the lane's chunk length in frames. */
  shift: number;
  chunks: Array<Int16Array | undefined>;
  gain: number;
  /** The gain reached at the end of the previous block; changes ramp over one block (no clicks). */
  appliedGain: number;
  isMuted: boolean;
  isSoloed: boolean;
  /** Largest absolute output sample since the meters were last read. */
  peak: number;
}

export interface MixState {
  lanes: MixLane[];
  isPlaying: boolean;
  /** Output frame of the next sample to play. */
  position: number;
  loop: LoopRegion;
}

export type BlockResult = 'stopped' | 'played' | 'stalled' | 'ended';

export function createMixState(): MixState {
  return { lanes: [], isPlaying: false, position: 0, loop: { ...NO_LOOP } };
}

export function createMixLane(
  id: string,
  channels: number,
  frames: number,
  step = 1,
  shift = CHUNK_SHIFT,
): MixLane {
  const chunkCount = Math.ceil(frames / (1 << shift));
  return {
    id,
    channels,
    frames,
    step,
    shift,
    chunks: new Array<Int16Array | undefined>(chunkCount).fill(undefined),
    gain: 1,
    // Nothing sounded yet: a lane added while the song plays fades in from silence, and one added
    // silent (joining, muted) never holds the others while its first chunk is on its way. A start
    // sets every lane to its gain (snapGains).
    appliedGain: 0,
    isMuted: false,
    isSoloed: false,
    peak: 0,
  };
}

/** Length of the song in output frames: the longest lane. */
export function mixLength(state: MixState): number {
  let length = 0;
  for (let i = 0; i < state.lanes.length; i++) {
    const lane = state.lanes[i] as MixLane;
    length = Math.max(length, Math.ceil(lane.frames / lane.step));
  }
  return length;
}

export function isAudible(lane: MixLane, isAnySoloed: boolean): boolean {
  return !lane.isMuted && (!isAnySoloed || lane.isSoloed);
}

/** Sets every lane straight to its target gain: a fresh start must not fade in from stale settings. */
export function snapGains(state: MixState): void {
  const isAnySoloed = state.lanes.some((lane) => lane.isSoloed);
  for (const lane of state.lanes) lane.appliedGain = isAudible(lane, isAnySoloed) ? lane.gain : 0;
}

/** Output frames this block will visit, with the loop wrap applied; shorter than `frames` at the end. */
function plan(state: MixState, frames: number, length: number, out: Int32Array): number {
  let p = state.position;
  let count = 0;
  while (count < frames && !isPastEnd(p, length, state.loop)) {
    out[count++] = p;
    p = nextFrame(p, state.loop);
  }
  state.position = p;
  return count;
}

function laneFrame(lane: MixLane, p: number): number {
  return lane.step === 1 ? p : Math.floor(p * lane.step);
}

function hasData(lane: MixLane, positions: Int32Array, count: number): boolean {
  let lastChunk = -1;
  for (let i = 0; i < count; i++) {
    const f = laneFrame(lane, positions[i] ?? 0);
    if (f >= lane.frames) continue;
    const c = f >> lane.shift;
    if (c === lastChunk) continue;
    if (!lane.chunks[c]) return false;
    lastChunk = c;
  }
  return true;
}

function addLane(
  lane: MixLane,
  target: number,
  positions: Int32Array,
  count: number,
  left: Float32Array,
  right: Float32Array,
): void {
  const from = lane.appliedGain;
  const delta = (target - from) / Math.max(1, count);
  const stereo = lane.channels > 1;
  const { shift } = lane;
  const mask = (1 << shift) - 1;
  let peak = lane.peak;
  for (let i = 0; i < count; i++) {
    const f = laneFrame(lane, positions[i] ?? 0);
    if (f >= lane.frames) continue;
    const chunk = lane.chunks[f >> shift];
    if (!chunk) continue;
    const index = (f & mask) * lane.channels;
    const g = (from + delta * (i + 1)) * INT16_SCALE;
    const l = (chunk[index] ?? 0) * g;
    const r = stereo ? (chunk[index + 1] ?? 0) * g : l;
    left[i] = (left[i] ?? 0) + l;
    right[i] = (right[i] ?? 0) + r;
    peak = Math.max(peak, l < 0 ? -l : l, r < 0 ? -r : r);
  }
  lane.peak = peak;
  lane.appliedGain = target;
}

/** Reused by every block: the audio thread allocates nothing per block (no garbage for its GC). */
const scratch = { positions: new Int32Array(128), targets: new Float64Array(16) };

/**
 * Mixes one block into `left`/`right` (which it clears). A block whose audible lanes lack data does
 * not advance (all lanes wait together, so a slow chunk never puts one lane out of sync).
 */
export function mixBlock(
  state: MixState,
  left: Float32Array,
  right: Float32Array,
  frames = left.length,
): BlockResult {
  left.fill(0, 0, frames);
  right.fill(0, 0, frames);
  if (!state.isPlaying) return 'stopped';
  const { lanes } = state;
  if (scratch.positions.length < frames) scratch.positions = new Int32Array(frames);
  if (scratch.targets.length < lanes.length) scratch.targets = new Float64Array(lanes.length * 2);
  const { positions, targets } = scratch;
  const start = state.position;
  const count = plan(state, frames, mixLength(state), positions);
  let isAnySoloed = false;
  for (let i = 0; i < lanes.length; i++) isAnySoloed ||= (lanes[i] as MixLane).isSoloed;
  // A lane silent now and at the end of the last block is neither waited for nor mixed.
  for (let i = 0; i < lanes.length; i++) {
    const lane = lanes[i] as MixLane;
    targets[i] = isAudible(lane, isAnySoloed) ? lane.gain : 0;
    const isSilent = targets[i] === 0 && lane.appliedGain === 0;
    if (!isSilent && !hasData(lane, positions, count)) {
      state.position = start;
      return 'stalled';
    }
  }
  for (let i = 0; i < lanes.length; i++) {
    const lane = lanes[i] as MixLane;
    const target = targets[i] ?? 0;
    if (target !== 0 || lane.appliedGain !== 0) addLane(lane, target, positions, count, left, right);
  }
  if (count < frames) {
    state.isPlaying = false;
    return 'ended';
  }
  return 'played';
}
