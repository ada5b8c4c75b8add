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
  let words = new Uint32Array(0);

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

  /** Any channel count: one strided pass per channel, byte stores. */
  function span(samples: Int32Array, from: number, to: number): void {
    for (let c = 0; c < channels; c++) {
      let min = mins[c]!;
      let max = maxs[c]!;
      const end = to * channels;
      for (let i = from * channels + c, o = i * 3; i < end; i += channels, o += channels * 3) {
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

  /**
   * Stereo, the common case: two frames (four samples) per step, packed into three 32-bit words as
   * the unpacker reads them, a quarter of the stores of byte-wise packing. `from` must be even.
   */
  function spanStereo(samples: Int32Array, from: number, to: number): void {
    let minL = mins[0]!;
    let maxL = maxs[0]!;
    let minR = mins[1]!;
    let maxR = maxs[1]!;
    let f = from;
    for (let i = from * 2, w = (from * 3) / 2; f + 2 <= to; f += 2, i += 4, w += 3) {
      let a = samples[i]!;
      let b = samples[i + 1]!;
      let c = samples[i + 2]!;
      let d = samples[i + 3]!;
      a = a > MAX_S24 ? MAX_S24 : a < MIN_S24 ? MIN_S24 : a;
      b = b > MAX_S24 ? MAX_S24 : b < MIN_S24 ? MIN_S24 : b;
      c = c > MAX_S24 ? MAX_S24 : c < MIN_S24 ? MIN_S24 : c;
      d = d > MAX_S24 ? MAX_S24 : d < MIN_S24 ? MIN_S24 : d;
      // Little-endian s24: a0 a1 a2 b0 | b1 b2 c0 c1 | c2 d0 d1 d2.
      words[w] = (a & 0xffffff) | (b << 24);
      words[w + 1] = ((b >> 8) & 0xffff) | (c << 16);
      words[w + 2] = ((c >> 16) & 0xff) | (d << 8);
      if (a < minL) minL = a;
      if (a > maxL) maxL = a;
      if (c < minL) minL = c;
      if (c > maxL) maxL = c;
      if (b < minR) minR = b;
      if (b > maxR) maxR = b;
      if (d < minR) minR = d;
      if (d > maxR) maxR = d;
    }
    mins[0] = minL;
    maxs[0] = maxL;
    mins[1] = minR;
    maxs[1] = maxR;
    if (f < to) span(samples, f, to);
  }

  return {
    process(samples, frames) {
      if (bytes.length < frames * channels * 3) {
        // Whole 12-byte groups, so the stereo packer's last word stores stay inside.
        bytes = new Uint8Array(Math.ceil((frames * channels * 3) / 12) * 12);
        words = new Uint32Array(bytes.buffer);
      }
      for (let frame = 0; frame < frames;) {
        const end = Math.min(frames, frame + finest - fill);
        // Blocks start on even frames (a chunk and a block are whole multiples of 2 frames).
        if (channels === 2 && frame % 2 === 0) spanStereo(samples, frame, end);
        else span(samples, frame, end);
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
