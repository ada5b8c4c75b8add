// The residual's output pass over integer samples: clamps each to 24 bits, packs it as s24le for the
// PCM cache and folds it into the finest peaks level, in one loop. The decode path's analyser
// (chunk-analyser.ts) starts from floats; going int → float → int here would cost a third of the job
// for the same bytes (the float path quantises an integer v to exactly clamp(v)).
import { toPeak16 } from '../peak-levels.ts';
import { SAMPLES_PER_PEAK } from '../peaks.ts';

const MIN_S24 = -8388608;
const MAX_S24 = 8388607;

export interface FinestPeaks {
  /** Peaks of the finest level (SAMPLES_PER_PEAK[0] frames each) over the frames analysed. */
  peakCount: number;
  /** Per channel, interleaved (min, max) Int16 pairs. */
  pairs: Int16Array[];
  /** Largest absolute clamped sample value. */
  peakAbs: number;
}

export interface ResidualAnalyser {
  /** This chunk as s24le bytes (a view reused by the next call). */
  process(samples: Int32Array, frames: number): Uint8Array;
  finish(): FinestPeaks;
}

/** `totalFrames`: how many frames will be fed, so the peaks are allocated once. */
export function createResidualAnalyser(channels: number, totalFrames: number): ResidualAnalyser {
  const finest = SAMPLES_PER_PEAK[0] ?? 256;
  const pairs = Array.from({ length: channels }, () => new Int16Array(Math.ceil(totalFrames / finest) * 2));
  const mins = new Int32Array(channels).fill(MAX_S24);
  const maxs = new Int32Array(channels).fill(MIN_S24);
  let peakCount = 0;
  let fill = 0;
  let peakAbs = 0;
  let bytes = new Uint8Array(0);

  function flush(): void {
    for (let c = 0; c < channels; c++) {
      const min = mins[c]!;
      const max = maxs[c]!;
      pairs[c]![2 * peakCount] = toPeak16(min);
      pairs[c]![2 * peakCount + 1] = toPeak16(max);
      peakAbs = Math.max(peakAbs, -min, max);
      mins[c] = MAX_S24;
      maxs[c] = MIN_S24;
    }
    peakCount++;
    fill = 0;
  }

  function span(samples: Int32Array, from: number, to: number): void {
    for (let c = 0; c < channels; c++) {
      let min = mins[c]!;
      let max = maxs[c]!;
      for (
        let i = from * channels + c, end = to * channels, o = i * 3;
        i < end;
        i += channels, o += channels * 3
      ) {
        const s = samples[i]!;
        const v = s > MAX_S24 ? MAX_S24 : s < MIN_S24 ? MIN_S24 : s;
        bytes[o] = v;
        bytes[o + 1] = v >> 8;
        bytes[o + 2] = v >> 16;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      mins[c] = min;
      maxs[c] = max;
    }
  }

  return {
    process(samples, frames) {
      if (bytes.length < frames * channels * 3) bytes = new Uint8Array(frames * channels * 3);
      for (let frame = 0; frame < frames;) {
        const end = Math.min(frames, frame + finest - fill);
        span(samples, frame, end);
        fill += end - frame;
        frame = end;
        if (fill === finest) flush();
      }
      return bytes.subarray(0, frames * channels * 3);
    },
    finish() {
      if (fill > 0) flush();
      return { peakCount, pairs: pairs.map((p) => p.subarray(0, peakCount * 2)), peakAbs };
    },
  };
}
