// The loop rules (renderer/src/audio/loop.ts) on their own and against the mixer: advance(), which the
// engines use to extrapolate the playhead, must land where mixBlock() really plays, edge cases included.
import { describe, expect, it } from 'vitest';
import {
  advance,
  hasRegion,
  isLooping,
  isPastEnd,
  loopInFrames,
  nextFrame,
  NO_LOOP,
  ordered,
  stopPosition,
  type LoopRegion,
} from '../../renderer/src/audio/loop.ts';
import { createMixLane, createMixState, mixBlock, snapGains } from '../../renderer/src/audio/mix.ts';

const LENGTH = 1000;
const loop = (start: number, end: number, isOn = true): LoopRegion => ({ isOn, start, end });

/** Where the real mixer's transport is after playing `elapsed` frames from `from` (one lane of silence). */
function mixerPosition(from: number, elapsed: number, region: LoopRegion): number {
  const state = createMixState();
  const lane = createMixLane('a', 1, LENGTH);
  lane.chunks[0] = new Int16Array(LENGTH);
  state.lanes = [lane];
  state.loop = region;
  state.position = from;
  state.isPlaying = true;
  snapGains(state);
  const left = new Float32Array(elapsed);
  const result = mixBlock(state, left, new Float32Array(elapsed), elapsed);
  return result === 'ended' ? LENGTH : state.position;
}

describe('loop rules', () => {
  it('loops only when switched on with a non-empty region', () => {
    expect(isLooping(loop(100, 200))).toBe(true);
    expect(isLooping(loop(100, 200, false))).toBe(false);
    expect(isLooping(loop(100, 100))).toBe(false);
    expect(isLooping(loop(200, 100))).toBe(false);
    expect(isLooping(NO_LOOP)).toBe(false);
    expect(hasRegion(loop(100, 200, false))).toBe(true);
    expect(hasRegion(loop(5, 5))).toBe(false);
  });

  it('orders a region dragged right to left and leaves an ordered one alone', () => {
    expect(ordered(loop(300, 100))).toEqual(loop(100, 300));
    const inOrder = loop(100, 300, false);
    expect(ordered(inOrder)).toBe(inOrder);
  });

  it('converts seconds to frames and switches an empty region off', () => {
    expect(loopInFrames(loop(0.5, 1.25), 48000)).toEqual(loop(24000, 60000));
    expect(loopInFrames(loop(1, 1), 48000)).toEqual(loop(48000, 48000, false));
    expect(loopInFrames(loop(0.5, 1, false), 44100)).toEqual(loop(22050, 44100, false));
  });

  it('steps frame by frame, wrapping at the loop end', () => {
    expect(nextFrame(198, loop(100, 200))).toBe(199);
    expect(nextFrame(199, loop(100, 200))).toBe(100);
    expect(nextFrame(199, loop(100, 200, false))).toBe(200);
    expect(nextFrame(250, loop(100, 200))).toBe(251);
  });

  it('ends past the song unless a loop reaching beyond it is still running', () => {
    expect(isPastEnd(LENGTH, LENGTH, NO_LOOP)).toBe(true);
    expect(isPastEnd(LENGTH - 1, LENGTH, NO_LOOP)).toBe(false);
    expect(isPastEnd(LENGTH, LENGTH, loop(900, 1100))).toBe(false);
    expect(isPastEnd(LENGTH, LENGTH, loop(900, 1100, false))).toBe(true);
  });

  it('returns Stop to the loop start while the loop is on, else to the top', () => {
    expect(stopPosition(loop(100, 200))).toBe(100);
    expect(stopPosition(loop(100, 200, false))).toBe(0);
  });

  const cases: Array<[string, number, number, LoopRegion, number]> = [
    ['loop disabled runs to the song end', 900, 300, loop(100, 200, false), LENGTH],
    ['loop disabled, inside the song', 100, 150, loop(100, 200, false), 250],
    ['wraps inside the loop', 150, 120, loop(100, 200), 170],
    ['wraps several times', 100, 350, loop(100, 200), 150],
    ['lands exactly on the loop start', 150, 50, loop(100, 200), 100],
    ['loop end at the song end wraps instead of ending', 950, 100, loop(900, LENGTH), 950],
    ['playhead past the loop end plays on to the song end', 300, 800, loop(100, 200), LENGTH],
    ['playhead past the loop end, still inside the song', 300, 100, loop(100, 200), 400],
    ['zero-length loop is no loop', 150, 100, loop(200, 200), 250],
    ['zero-length loop at the song end', 950, 100, loop(LENGTH, LENGTH), LENGTH],
    ['playhead before the loop enters it and wraps', 50, 200, loop(100, 200), 150],
  ];
  for (const [name, from, elapsed, region, expected] of cases) {
    it(`advance agrees with the mixer: ${name}`, () => {
      expect(advance(from, elapsed, region, LENGTH)).toBe(expected);
      expect(mixerPosition(from, elapsed, region)).toBe(expected);
    });
  }
});
