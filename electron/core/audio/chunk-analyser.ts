// The single pass over decoded audio: each float sample is quantised once and, in the same loop,
// packed as s24le for the PCM cache, folded into the finest peaks level and squared for the RMS.
// It is one hot loop on purpose: separate passes cost more than the WASM decode itself.
import { buildLevels, toPeak16 } from './peak-levels.ts';
import { SAMPLES_PER_PEAK } from './peaks.ts';
import type { PeaksLevel } from './peaks.ts';

interface AnalysisResult {
  levels: PeaksLevel[];
  /** Largest absolute 24-bit sample value. */
  peakAbs: number;
  /** Sum of squared 24-bit sample values over all channels. */
  sumSquares: number;
}

interface ChunkAnalyser {
  /** Returns this chunk as s24le bytes (a view reused by the next call). */
  process(channelData: readonly Float32Array[], frames: number): Uint8Array;
  finish(): AnalysisResult;
}

// Quantisation as in quantizeS24 (round half up, clamp to [-2^23, 2^23 - 1]) without Math.round:
// trunc(x * 2^23 + 2^23 + 0.5) - 2^23, where truncating a positive number is the floor. It is exact
// where it matters: near a rounding boundary x * 2^23 moves in float32 steps of at least 2^-24,
// which a double holding 2^24 still resolves. The unit tests hold it equal to quantizeS24.
const OFFSET = 8388608.5;
const TOP = 16777215;

export function createChunkAnalyser(channels: number): ChunkAnalyser {
  const finest = SAMPLES_PER_PEAK[0] ?? 256;
  const mins = new Float64Array(channels).fill(Infinity);
  const maxs = new Float64Array(channels).fill(-Infinity);
  let pairs: Int16Array[] = Array.from({ length: channels }, () => new Int16Array(4096));
  let peakCount = 0;
  let fill = 0;
  let sumSquares = 0;
  let peakAbs = 0;
  let bytes = new Uint8Array(0);

  function flush(): void {
    if (peakCount * 2 === pairs[0]?.length) {
      pairs = pairs.map((old) => {
        const grown = new Int16Array(old.length * 2);
        grown.set(old);
        return grown;
      });
    }
    for (let c = 0; c < channels; c++) {
      const target = pairs[c] as Int16Array;
      const min = mins[c] as number;
      const max = maxs[c] as number;
      target[2 * peakCount] = toPeak16(min);
      target[2 * peakCount + 1] = toPeak16(max);
      peakAbs = Math.max(peakAbs, -min, max);
      mins[c] = Infinity;
      maxs[c] = -Infinity;
    }
    peakCount++;
    fill = 0;
  }

  function span(channelData: readonly Float32Array[], from: number, to: number): void {
    const stride = channels * 3;
    for (let c = 0; c < channels; c++) {
      const source = channelData[c] as Float32Array;
      let min = mins[c] as number;
      let max = maxs[c] as number;
      let squares = 0;
      for (let f = from, o = from * stride + c * 3; f < to; f++, o += stride) {
        let q = (source[f] as number) * 8388608 + OFFSET;
        q = q > TOP ? TOP : q < 0 ? 0 : q;
        const v = (q | 0) - 8388608;
        bytes[o] = v;
        bytes[o + 1] = v >> 8;
        bytes[o + 2] = v >> 16;
        squares += v * v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      mins[c] = min;
      maxs[c] = max;
      sumSquares += squares;
    }
  }

  return {
    process(channelData, frames) {
      for (let c = 0; c < channels; c++) {
        if (!channelData[c]) throw new Error(`decoder returned no data for channel ${c}`);
      }
      if (bytes.length < frames * channels * 3) bytes = new Uint8Array(frames * channels * 3);
      for (let frame = 0; frame < frames;) {
        const end = Math.min(frames, frame + finest - fill);
        span(channelData, frame, end);
        fill += end - frame;
        frame = end;
        if (fill === finest) flush();
      }
      return bytes.subarray(0, frames * channels * 3);
    },
    finish() {
      if (fill > 0) flush();
      const levels = buildLevels({
        samplesPerPeak: finest,
        peakCount,
        data: pairs.map((p) => p.slice(0, peakCount * 2)),
      });
      return { levels, peakAbs, sumSquares };
    },
  };
}
