// The analysers' short-time spectra (electron/core/analysis/fft.ts) against a plain DFT of each
// Hann-windowed frame: two real frames share one complex FFT, so every frame, the unpaired last
// one and the zero-padded tail included, must come out as if transformed alone.
import { describe, expect, it } from 'vitest';
import { forEachSpectrum } from '../../electron/core/analysis/fft.ts';

function dftMagnitudes(signal: Float32Array, start: number, size: number): number[] {
  const out: number[] = [];
  for (let k = 0; k <= size / 2; k++) {
    let re = 0;
    let im = 0;
    for (let n = 0; n < size; n++) {
      const x = (signal[start + n] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size));
      re += x * Math.cos((-2 * Math.PI * k * n) / size);
      im += x * Math.sin((-2 * Math.PI * k * n) / size);
    }
    out.push(Math.hypot(re, im));
  }
  return out;
}

describe('forEachSpectrum', () => {
  it.each([
    ['an even number of frames', 64 * 6],
    ['an odd number of frames and a short tail', 64 * 7 + 13],
  ])('gives each frame the spectrum it has alone: %s', (_case, length) => {
    const size = 128;
    const hop = 64;
    let seed = 7;
    const signal = Float32Array.from({ length }, (_, i) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return Math.sin(i / 3) * 0.5 + ((seed % 1000) / 1000 - 0.5) * 0.3;
    });
    const seen: number[] = [];
    forEachSpectrum(signal, size, hop, (magnitudes, frame) => {
      seen.push(frame);
      const expected = dftMagnitudes(signal, frame * hop, size);
      expect(magnitudes).toHaveLength(size / 2 + 1);
      for (let k = 0; k <= size / 2; k++) expect(magnitudes[k]).toBeCloseTo(expected[k] ?? NaN, 9);
    });
    expect(seen).toEqual(Array.from({ length: Math.ceil(length / hop) }, (_, i) => i));
  });
});
