// 16-bit export: TPDF dither bounds and statistics, bit-exact copies of audio already in 16 bits,
// and the 24-bit/float encoders' exactness against the PCM cache's integer values.
import { describe, expect, it } from 'vitest';
import { createNoise, createTpdfDither, DITHER_BLOCK } from '../../electron/core/export/dither.ts';
import { createSampleEncoder } from '../../electron/core/export/sample-encoder.ts';
import { decodeS24le } from '../../electron/core/audio/pcm-cache.ts';

function noiseSignal(count: number, seed: number, scale = 2_000_000): Float64Array {
  const next = createNoise(seed);
  return Float64Array.from({ length: count }, () => Math.round((next() * 2 - 1) * scale));
}

describe('TPDF dither to 16 bits', () => {
  it('stays within 1.5 LSB of the exact value and adds no DC offset', () => {
    const values = noiseSignal(200_000, 7);
    const out = new Int16Array(values.length);
    createTpdfDither(3).process(values, values.length, out);
    let sum = 0;
    let worst = 0;
    for (let i = 0; i < values.length; i++) {
      const error = (out[i] ?? 0) - (values[i] ?? 0) / 256;
      worst = Math.max(worst, Math.abs(error));
      sum += error;
    }
    expect(worst).toBeLessThan(1.5);
    expect(worst).toBeGreaterThan(1);
    expect(Math.abs(sum / values.length)).toBeLessThan(0.01);
  });

  it('has the variance of rounding plus triangular noise (1/12 + 1/6 LSB^2)', () => {
    const values = noiseSignal(200_000, 11);
    const out = new Int16Array(values.length);
    createTpdfDither(5).process(values, values.length, out);
    let squares = 0;
    for (let i = 0; i < values.length; i++) squares += ((out[i] ?? 0) - (values[i] ?? 0) / 256) ** 2;
    expect(squares / values.length).toBeGreaterThan(0.22);
    expect(squares / values.length).toBeLessThan(0.28);
  });

  it('copies blocks already exact in 16 bits, so silence stays digital silence', () => {
    const values = new Float64Array(DITHER_BLOCK * 3);
    for (let i = DITHER_BLOCK; i < 2 * DITHER_BLOCK; i++) values[i] = ((i % 200) - 100) * 256;
    values[2 * DITHER_BLOCK + 5] = 3;
    const out = new Int16Array(values.length);
    createTpdfDither().process(values, values.length, out);
    for (let i = 0; i < 2 * DITHER_BLOCK; i++) expect(out[i]).toBe((values[i] ?? 0) / 256);
    expect(out.subarray(2 * DITHER_BLOCK).some((v) => v !== 0)).toBe(true);
  });

  it('clamps at full scale instead of wrapping around', () => {
    const values = Array.from({ length: 2000 }, (_, i) => (i % 2 ? 8388607 : -8388608));
    const out = new Int16Array(values.length);
    createTpdfDither().process(values, values.length, out);
    for (let i = 0; i < values.length; i++)
      expect(Math.abs((out[i] ?? 0) - (values[i] ?? 0) / 256)).toBeLessThan(1.5);
    expect(out.includes(32767)).toBe(true);
    expect(out.includes(-32768)).toBe(true);
  });

  it('is reproducible from its seed', () => {
    const values = noiseSignal(5000, 2);
    const a = new Int16Array(values.length);
    const b = new Int16Array(values.length);
    createTpdfDither(9).process(values, values.length, a);
    createTpdfDither(9).process(values, values.length, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('sample encoders', () => {
  it('24-bit writes the cache values back bit for bit (round half up for fractions, clamped)', () => {
    const values = [0, 1, -1, 8388607, -8388608, 123456, -654321, 0.5, -0.5, 1.49, 9e6, -9e6];
    const bytes = createSampleEncoder('pcm24').encode(values, values.length);
    expect(Array.from(decodeS24le(bytes))).toEqual([
      0, 1, -1, 8388607, -8388608, 123456, -654321, 1, 0, 1, 8388607, -8388608,
    ]);
  });

  it('32-bit float holds every 24-bit value exactly', () => {
    const values = [0, 1, -1, 8388607, -8388608, 4194303];
    const bytes = createSampleEncoder('float32').encode(values, values.length);
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    expect(Array.from(floats, (x) => x * 8388608)).toEqual(values);
  });
});
