// Finds how far the stems sit from their source by cross-correlation (FFT): MP3 encoder delay and
// padding, or a separation service trimming its input, shift stems by a few milliseconds.
import { fft, nextPowerOfTwo } from './fft.ts';

export interface Alignment {
  /** Stems lag the source by this many frames: stems[t + offset] lines up with source[t]. */
  offsetFrames: number;
  /** Peak of the normalised cross-correlation at that offset (1: identical shapes). */
  confidence: number;
}

/**
 * `source` is a mono window; `stems` the mono sum of the stems over the same frames widened by
 * `maxLag` on each side (stems[maxLag + t] is the frame under source[t] at offset 0).
 */
export function findOffset(source: Float32Array, stems: Float32Array, maxLag: number): Alignment {
  const n = source.length;
  if (stems.length !== n + 2 * maxLag)
    throw new Error('stems window must be the source window plus 2 * maxLag');
  const size = nextPowerOfTwo(stems.length + n);
  const aRe = new Float64Array(size);
  const aIm = new Float64Array(size);
  const bRe = new Float64Array(size);
  const bIm = new Float64Array(size);
  aRe.set(stems);
  bRe.set(source);
  fft(aRe, aIm);
  fft(bRe, bIm);
  // stems ⋆ source: multiply by the conjugate, back to time; index k is the stems window shifted by k.
  for (let i = 0; i < size; i++) {
    const re = aRe[i]! * bRe[i]! + aIm[i]! * bIm[i]!;
    const im = aIm[i]! * bRe[i]! - aRe[i]! * bIm[i]!;
    aRe[i] = re;
    aIm[i] = im;
  }
  fft(aRe, aIm, true);
  let best = 0;
  let bestValue = -Infinity;
  for (let k = 0; k <= 2 * maxLag; k++) {
    if (aRe[k]! > bestValue) {
      bestValue = aRe[k]!;
      best = k;
    }
  }
  const sourceEnergy = energy(source, 0, n);
  const stemsEnergy = energy(stems, best, best + n);
  const norm = Math.sqrt(sourceEnergy * stemsEnergy) * size;
  return { offsetFrames: best - maxLag, confidence: norm > 0 ? bestValue / norm : 0 };
}

function energy(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return sum;
}
