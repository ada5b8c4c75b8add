// The mixer's message handling and block loop, shared by the AudioWorklet processor and the Node
// tests: lanes, chunks (streamed ones held only for the window ahead, see ./stream-window.ts), mix,
// loop, transport, and the reports back (ticks, first sound, stalls, underruns, released chunks).
import { createMixLane, createMixState, mixBlock, mixLength, snapGains, type MixLane } from './mix.ts';
import type { FromMixer, ToMixer } from './messages.ts';
import { createMixerWarmUp, type MixerWarmUp } from './mixer-warm-up.ts';
import {
  evictOutside,
  KEEP_MARGIN_FRAMES,
  STREAM_SHIFT,
  windowSegments,
  type ResidentChunks,
} from './stream-window.ts';

/** The audio clock the reports are stamped with (the worklet's global scope, or a test's counter). */
export interface MixerClock {
  frame(): number;
  time(): number;
  rate: number;
}

/** A tick every 8 blocks (21-23 ms): each is a message the main thread deserializes (and Blink keeps
 * as garbage until its next collection), and nothing there needs them sooner: the clock extrapolates
 * between ticks, the meters and clock draw at 30 Hz (a tick carries each lane's peak since the last
 * one, so no peak is skipped), and the reader acts only when the window moves into another chunk. */
export const TICK_BLOCKS = 8;

export class MixerCore {
  state = createMixState();
  blocks = 0;
  isAwaitingSound = false;
  isStalled = false;
  /** A block has sounded since the last transport command: a stall after that is an underrun. */
  hasPlayed = false;
  underruns = 0;
  /** Read-ahead in frames once the engine streams (0: every lane is held whole). */
  aheadFrames = 0;
  resident: ResidentChunks = new Map();
  /** The last transport's number, echoed in every tick. */
  seq = 0;
  /** Compiles the sample loop while stopped (./mixer-warm-up.ts); null once done. */
  warmUp: MixerWarmUp | null = createMixerWarmUp(STREAM_SHIFT);

  /** Posts to the main thread; `transfer` moves buffers instead of copying them. */
  post: (message: FromMixer, transfer?: Transferable[]) => void;
  clock: MixerClock;

  constructor(post: MixerCore['post'], clock: MixerClock) {
    this.post = post;
    this.clock = clock;
  }

  lane(id: string): MixLane | undefined {
    return this.state.lanes.find((lane) => lane.id === id);
  }

  handle(message: ToMixer): void {
    const { state } = this;
    if (message.type === 'lane') {
      state.lanes = state.lanes.filter((lane) => lane.id !== message.id);
      state.lanes.push(
        createMixLane(message.id, message.channels, message.frames, message.step, message.shift),
      );
      this.resident.delete(message.id);
      this.tickIfStreaming();
    } else if (message.type === 'chunk') {
      this.putChunk(message);
    } else if (message.type === 'remove') {
      state.lanes = state.lanes.filter((lane) => lane.id !== message.id);
      this.resident.delete(message.id);
    } else if (message.type === 'mix') {
      const lane = this.lane(message.id);
      if (lane) Object.assign(lane, message.mix);
    } else if (message.type === 'loop') {
      state.loop = { isOn: message.isOn, start: message.start, end: message.end };
      this.tickIfStreaming();
    } else if (message.type === 'window') {
      this.aheadFrames = message.aheadFrames;
    } else if (message.type === 'ping') {
      this.post({ type: 'pong', id: message.id });
    } else {
      this.seq = message.seq;
      if (message.position !== undefined) state.position = message.position;
      // A seek while playing waits for sound again, like a fresh start.
      if (message.isPlaying && (!state.isPlaying || message.position !== undefined))
        this.isAwaitingSound = true;
      if (message.isPlaying && !state.isPlaying) snapGains(state);
      this.hasPlayed = false;
      state.isPlaying = message.isPlaying;
      this.tick();
    }
  }

  putChunk(message: Extract<ToMixer, { type: 'chunk' }>): void {
    const lane = this.lane(message.id);
    if (!lane || message.index >= lane.chunks.length) return;
    lane.chunks[message.index] = message.data;
    if (!message.isStreamed) return;
    let held = this.resident.get(lane.id);
    if (!held) this.resident.set(lane.id, (held = new Set()));
    held.add(message.index);
  }

  tickIfStreaming(): void {
    if (this.aheadFrames > 0) this.tick();
  }

  tick(): void {
    const meters: Record<string, number> = {};
    for (const lane of this.state.lanes) {
      meters[lane.id] = lane.peak;
      lane.peak = 0;
    }
    const { position, isPlaying, loop } = this.state;
    const { underruns, aheadFrames, seq } = this;
    if (aheadFrames === 0) {
      this.post({ type: 'tick', position, frame: this.clock.frame(), isPlaying, meters, underruns, seq });
      return;
    }
    const buffers: ArrayBuffer[] = [];
    const released = evictOutside(this.state, this.resident, aheadFrames + KEEP_MARGIN_FRAMES, buffers);
    const ahead = windowSegments(position, aheadFrames, loop, mixLength(this.state));
    // The new window before what fell out of it: told first that the chunk the playhead just left is
    // gone, the reader would still be on the old window, see that chunk missing at its head, and
    // ask every lane for it again (a wasted batch at every chunk boundary, cancelled by this tick).
    this.post({
      type: 'tick',
      position,
      frame: this.clock.frame(),
      isPlaying,
      meters,
      underruns,
      seq,
      ahead,
    });
    if (Object.keys(released).length > 0) this.post({ type: 'released', chunks: released, buffers }, buffers);
  }

  /** Renders one block into `left` and `right`. */
  process(left: Float32Array, right: Float32Array): void {
    const result = mixBlock(this.state, left, right, left.length);
    if (result === 'stopped' && this.warmUp?.step() === false) this.warmUp = null;
    if (result === 'stalled' && !this.isStalled)
      this.post({ type: 'stalled', position: this.state.position });
    if (result === 'stalled' && this.hasPlayed) this.underruns += 1;
    if (result === 'played') this.hasPlayed = true;
    this.isStalled = result === 'stalled';
    if (this.isAwaitingSound && result === 'played') {
      const index = left.findIndex((v, i) => v !== 0 || right[i] !== 0);
      if (index >= 0) {
        this.isAwaitingSound = false;
        this.post({ type: 'sounding', time: this.clock.time() + index / this.clock.rate, seq: this.seq });
      }
    }
    if (result === 'ended') {
      this.post({ type: 'ended', position: this.state.position });
      this.tick();
    } else if (this.state.isPlaying && ++this.blocks % TICK_BLOCKS === 0) this.tick();
  }
}
