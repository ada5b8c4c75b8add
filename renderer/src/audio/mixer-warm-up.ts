// Runs the mixer's sample loop on throwaway lanes while the song is stopped, so the first Play finds
// it compiled. Every studio gets a fresh audio thread whose V8 has never run the mixer. In Chromium
// traces of a cold Play (14 lanes), single blocks took up to 0.9-4.3 ms, more than the 2.9 ms of
// audio they make (a block late is a click at the output), and one audio callback 11 ms, a core of
// two taken from the page by a realtime thread; warmed up, the slowest block took 0.17-0.25 ms.
// One small block per render quantum while stopped costs about 2 ms at first and microseconds once
// compiled (14 ms over the whole warm-up in the mixer-warm-up bench), while the studio opens and
// nothing plays. Its lanes hold about 320 KB until it ends.
import { createMixLane, createMixState, mixBlock, snapGains, type MixState } from './mix.ts';
import { laneChunks, windowSegments } from './stream-window.ts';

/** Blocks to mix before the loop is left alone: about 1.2 s of audio at 44.1 kHz, where V8 had
 * optimized the loop after 5-8 blocks of 14 lanes in the traces. */
export const WARM_UP_BLOCKS = 400;
const LANES = 3;
const BLOCK = 128;

export interface MixerWarmUp {
  /** Mixes one throwaway block; false once warm (and from then on does nothing). */
  step(): boolean;
}

/** `shift`: the chunk size of the lanes that will play (streamed or whole), so the loop sees the
 * same values it will. */
export function createMixerWarmUp(shift: number, blocks = WARM_UP_BLOCKS): MixerWarmUp {
  const chunkFrames = 1 << shift;
  let state: MixState | null = createMixState();
  // Stereo and mono lanes with real int16 data (a sawtooth, both signs), as the mixer receives them.
  for (let i = 0; i < LANES; i++) {
    const channels = i === LANES - 1 ? 1 : 2;
    const lane = createMixLane(`warm-up-${i}`, channels, 2 * chunkFrames, 1, shift);
    for (let c = 0; c < lane.chunks.length; c++) {
      const chunk = new Int16Array(chunkFrames * channels);
      for (let s = 0; s < chunk.length; s++) chunk[s] = ((s * 37 + i * 911) % 65536) - 32768;
      lane.chunks[c] = chunk;
    }
    state.lanes.push(lane);
  }
  const left = new Float32Array(BLOCK);
  const right = new Float32Array(BLOCK);
  let remaining = blocks;
  return {
    step() {
      if (!state) return false;
      if (!state.isPlaying) {
        // Start over from the top (the lanes are two chunks long, so blocks cross a chunk boundary).
        state.position = 0;
        state.isPlaying = true;
        snapGains(state);
      }
      mixBlock(state, left, right, BLOCK);
      // The window the ticks compute while streaming, every eighth block as they do.
      if (remaining % 8 === 0) {
        const window = windowSegments(state.position, chunkFrames, state.loop, 2 * chunkFrames);
        for (const lane of state.lanes) laneChunks(window, lane);
      }
      if (--remaining > 0) return true;
      state = null; // its chunks are garbage now, collected with the thread's next minor GC
      return false;
    },
  };
}
