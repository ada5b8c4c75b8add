// The mixer's sample loop (renderer/src/audio/mix.ts) under Node: lanes stay sample-exact (a lane
// and its inverted copy cancel), solo/mute/gain, the gapless loop, stalls that keep lanes together.
import { describe, expect, it } from 'vitest';
import {
  CHUNK_FRAMES,
  createMixLane,
  createMixState,
  mixBlock,
  snapGains,
  type MixLane,
  type MixState,
} from '../../renderer/src/audio/mix.ts';

const BLOCK = 128;

function lane(id: string, samples: Int16Array, channels = 2): MixLane {
  const frames = samples.length / channels;
  const created = createMixLane(id, channels, frames);
  for (let c = 0; c * CHUNK_FRAMES < frames; c++)
    created.chunks[c] = samples.slice(c * CHUNK_FRAMES * channels, (c + 1) * CHUNK_FRAMES * channels);
  return created;
}

function noise(frames: number, seed: number, channels = 2): Int16Array {
  let state = seed;
  return Int16Array.from({ length: frames * channels }, () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state % 60000) - 30000;
  });
}

function render(
  state: MixState,
  frames: number,
): { left: Float32Array; right: Float32Array; results: string[] } {
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const results: string[] = [];
  const l = new Float32Array(BLOCK);
  const r = new Float32Array(BLOCK);
  for (let at = 0; at < frames; at += BLOCK) {
    results.push(mixBlock(state, l, r, BLOCK));
    left.set(l.subarray(0, Math.min(BLOCK, frames - at)), at);
    right.set(r.subarray(0, Math.min(BLOCK, frames - at)), at);
  }
  return { left, right, results };
}

function play(lanes: MixLane[], position = 0): MixState {
  const state = createMixState();
  state.lanes = lanes;
  state.position = position;
  state.isPlaying = true;
  snapGains(state);
  return state;
}

const maxAbs = (data: Float32Array) => data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('mixer', () => {
  const frames = CHUNK_FRAMES + 5000;
  const stem = noise(frames, 7);
  const inverted = stem.map((v) => -v);

  it('cancels a stem against its inverted copy to exact silence, across chunks and loop wraps', () => {
    const alone = render(play([lane('a', stem)], CHUNK_FRAMES - 3000), 8192);
    expect(maxAbs(alone.left)).toBeGreaterThan(0.5);
    const state = play([lane('a', stem), lane('b', inverted)], CHUNK_FRAMES - 3000);
    state.loop = { isOn: true, start: CHUNK_FRAMES - 1000, end: CHUNK_FRAMES + 777 };
    const both = render(state, 8192);
    expect(maxAbs(both.left)).toBe(0);
    expect(maxAbs(both.right)).toBe(0);
  });

  it('solo plays only soloed lanes and mute removes a lane, sample for sample', () => {
    const drums = noise(4096, 1);
    const bass = noise(4096, 2);
    const reference = render(play([lane('d', drums)]), 2048);
    const soloed = [lane('d', drums), lane('b', bass)];
    soloed[0]!.isSoloed = true;
    expect(render(play(soloed), 2048).left).toEqual(reference.left);
    const muted = [lane('d', drums), lane('b', bass)];
    muted[1]!.isMuted = true;
    expect(render(play(muted), 2048).right).toEqual(reference.right);
  });

  it('applies gain, ramping a change over one block instead of jumping', () => {
    const signal = new Int16Array(4096 * 2).fill(16384);
    const half = lane('x', signal);
    half.gain = 0.5;
    const state = play([half]);
    const first = render(state, BLOCK);
    expect(first.left[10]).toBeCloseTo(0.25, 6);
    half.gain = 1;
    const next = render(state, BLOCK);
    expect(next.left[0]).toBeGreaterThan(0.25);
    expect(next.left[0]).toBeLessThan(0.5);
    expect(next.left[BLOCK - 1]).toBeCloseTo(0.5, 6);
  });

  it('loops gaplessly: after the wrap the output repeats with the loop period exactly', () => {
    const state = play([lane('a', noise(8000, 3))], 1000);
    state.loop = { isOn: true, start: 1000, end: 1300 };
    const out = render(state, 1200).left;
    for (let i = 0; i < 900; i++) expect(out[i + 300]).toBe(out[i]);
  });

  it('stalls every lane together while a chunk is missing, then resumes in sync', () => {
    const a = lane('a', noise(CHUNK_FRAMES + 1000, 4));
    const b = lane('b', noise(CHUNK_FRAMES + 1000, 5));
    const missing = b.chunks[1];
    b.chunks[1] = undefined;
    const state = play([a, b], CHUNK_FRAMES - 64);
    const l = new Float32Array(BLOCK);
    const r = new Float32Array(BLOCK);
    expect(mixBlock(state, l, r)).toBe('stalled');
    expect(state.position).toBe(CHUNK_FRAMES - 64);
    expect(maxAbs(l)).toBe(0);
    b.chunks[1] = missing;
    expect(mixBlock(state, l, r)).toBe('played');
    expect(state.position).toBe(CHUNK_FRAMES + 64);
  });

  it('lets a lane added silent while playing wait for its data without holding the others, then fades it in', () => {
    // A lane that joins a playing song (the residual computed, a stem decoded) is added silent until
    // its chunk at the playhead is there. It used to start at full applied gain, so it held every
    // lane until its first read came back: an underrun a producer heard (24 blocks in a bench run).
    const a = lane('a', noise(2 * CHUNK_FRAMES, 6));
    const state = play([a], 1000);
    const joining = createMixLane('joining', 2, 2 * CHUNK_FRAMES);
    Object.assign(joining, { gain: 0, isMuted: true });
    state.lanes.push(joining);
    const l = new Float32Array(BLOCK);
    const r = new Float32Array(BLOCK);
    expect(mixBlock(state, l, r)).toBe('played');
    // Its data arrives and it is heard: from silence, ramped over one block like any gain change.
    const data = noise(2 * CHUNK_FRAMES, 7);
    joining.chunks[0] = data.slice(0, CHUNK_FRAMES * 2);
    Object.assign(joining, { gain: 1, isMuted: false });
    const from = state.position;
    expect(mixBlock(state, l, r)).toBe('played');
    const alone = play([lane('a', noise(2 * CHUNK_FRAMES, 6))], from);
    const l0 = new Float32Array(BLOCK);
    const r0 = new Float32Array(BLOCK);
    mixBlock(alone, l0, r0);
    const first = (l[0] ?? 0) - (l0[0] ?? 0);
    const last = (l[BLOCK - 1] ?? 0) - (l0[BLOCK - 1] ?? 0);
    expect(Math.abs(first)).toBeCloseTo(Math.abs(((data[from * 2] ?? 0) / 32768) * (1 / BLOCK)), 5);
    expect(last).toBeCloseTo((data[(from + BLOCK - 1) * 2] ?? 0) / 32768, 5);
  });

  it('ends at the longest lane and stops the transport', () => {
    const state = play([lane('a', noise(300, 6)), lane('b', noise(200, 8))]);
    const { results } = render(state, 512);
    expect(results).toEqual(['played', 'played', 'ended', 'stopped']);
    expect(state.isPlaying).toBe(false);
  });

  it('plays mono lanes on both sides', () => {
    const mono = lane('m', noise(512, 9, 1), 1);
    const out = render(play([mono]), 256);
    expect(out.left).toEqual(out.right);
    expect(maxAbs(out.left)).toBeGreaterThan(0);
  });
});
