// The mixer's warm-up (renderer/src/audio/mixer-warm-up.ts) under Node: it runs only while the song
// is stopped, one block per render quantum, ends after its budget, and leaves no trace in what the
// mixer plays or reports (its lanes are its own; the sample loop's scratch is shared).
import { describe, expect, it } from 'vitest';
import type { FromMixer } from '../../renderer/src/audio/messages.ts';
import { MixerCore } from '../../renderer/src/audio/mixer-core.ts';
import { createMixerWarmUp, WARM_UP_BLOCKS } from '../../renderer/src/audio/mixer-warm-up.ts';
import { STREAM_SHIFT } from '../../renderer/src/audio/stream-window.ts';

const BLOCK = 128;
const RATE = 44100;

function core(): { core: MixerCore; posted: FromMixer[] } {
  const posted: FromMixer[] = [];
  let frame = 0;
  const created = new MixerCore((message) => posted.push(message), {
    frame: () => (frame += BLOCK),
    time: () => frame / RATE,
    rate: RATE,
  });
  return { core: created, posted };
}

/** Two stereo lanes of noise, held whole, with a gain on the second. */
function addLanes(mixer: MixerCore, frames: number): void {
  for (const [i, id] of ['a', 'b'].entries()) {
    mixer.handle({ type: 'lane', id, channels: 2, frames, step: 1, shift: 17 });
    let seed = 7 + i;
    const data = Int16Array.from({ length: frames * 2 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed % 60000) - 30000;
    });
    mixer.handle({ type: 'chunk', id, index: 0, data, isStreamed: false });
  }
  mixer.handle({ type: 'mix', id: 'b', mix: { gain: 0.5, isMuted: false, isSoloed: false } });
}

function run(mixer: MixerCore, blocks: number): Float32Array {
  const out = new Float32Array(blocks * BLOCK * 2);
  for (let b = 0; b < blocks; b++) {
    const left = new Float32Array(BLOCK);
    const right = new Float32Array(BLOCK);
    mixer.process(left, right);
    out.set(left, b * BLOCK * 2);
    out.set(right, b * BLOCK * 2 + BLOCK);
  }
  return out;
}

describe('the mixer warm-up', () => {
  it('mixes its budget of blocks and then does nothing', () => {
    const warmUp = createMixerWarmUp(STREAM_SHIFT, 5);
    const results = Array.from({ length: 8 }, () => warmUp.step());
    expect(results).toEqual([true, true, true, true, false, false, false, false]);
  });

  it('runs while the song is stopped, silently, and ends after its budget', () => {
    const { core: mixer, posted } = core();
    addLanes(mixer, 4 * BLOCK);
    posted.length = 0;
    const stopped = run(mixer, WARM_UP_BLOCKS - 1);
    expect(stopped.every((sample) => sample === 0)).toBe(true);
    expect(posted).toEqual([]);
    expect(mixer.state.position).toBe(0);
    expect(mixer.warmUp).not.toBeNull();
    run(mixer, 1);
    expect(mixer.warmUp).toBeNull();
  });

  it('waits while the song plays, and goes on once it stops', () => {
    const { core: mixer } = core();
    addLanes(mixer, 1000 * BLOCK);
    run(mixer, 10);
    mixer.handle({ type: 'transport', isPlaying: true, seq: 1 });
    run(mixer, 2 * WARM_UP_BLOCKS);
    expect(mixer.warmUp).not.toBeNull();
    mixer.handle({ type: 'transport', isPlaying: false, seq: 2 });
    run(mixer, WARM_UP_BLOCKS - 10);
    expect(mixer.warmUp).toBeNull();
  });

  it('leaves what the mixer plays unchanged', () => {
    const warmed = core().core;
    const cold = core().core;
    cold.warmUp = null;
    for (const mixer of [warmed, cold]) {
      addLanes(mixer, 64 * BLOCK);
      run(mixer, 30); // warmed: 30 blocks of warm-up between the lanes arriving and Play
      mixer.handle({ type: 'transport', isPlaying: true, position: 3, seq: 1 });
    }
    const heard = run(warmed, 40);
    expect(heard.some((sample) => sample !== 0)).toBe(true);
    expect(heard).toEqual(run(cold, 40));
  });
});
