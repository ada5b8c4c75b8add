// The streaming resampler: exact output lengths (no frames lost at the end), chunking that does not
// change a sample, and a measured error bound on sines against the ideal signal at the new rate.
import { describe, expect, it } from 'vitest';
import { createResampler, resampledLength } from '../../electron/core/export/resampler.ts';

function sine(
  frames: number,
  rate: number,
  channels: number,
  freqs: number[],
  amplitude = 0.5,
): Float64Array {
  const out = new Float64Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++)
      out[i * channels + c] = amplitude * Math.sin((2 * Math.PI * (freqs[c] ?? 440) * i) / rate);
  }
  return out;
}

/** Pushes in irregular chunk sizes, as a file reader would, then flushes. */
function run(
  input: Float64Array,
  channels: number,
  inRate: number,
  outRate: number,
  chunk: (i: number) => number,
): Float64Array {
  const resampler = createResampler({ inRate, outRate, channels });
  const parts: Float64Array[] = [];
  const frames = input.length / channels;
  for (let at = 0, i = 0; at < frames; i++) {
    const n = Math.min(chunk(i), frames - at);
    parts.push(resampler.push(input.subarray(at * channels, (at + n) * channels), n));
    at += n;
  }
  parts.push(resampler.flush());
  const out = new Float64Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

describe('resampler', () => {
  const pairs: Array<[number, number]> = [
    [44100, 48000],
    [48000, 44100],
    [22050, 48000],
    [32000, 44100],
    [48000, 8000],
    [44100, 96000],
    [11025, 44100],
  ];

  it.each(pairs)('%i -> %i yields exactly round(n * out / in) frames for any length', (inRate, outRate) => {
    for (const frames of [0, 1, 2, 147, 160, 1000, 44099, 44100, 44101, 96001]) {
      const out = run(
        sine(frames, inRate, 2, [440, 660]),
        2,
        inRate,
        outRate,
        (i) => 1 + ((i * 7919) % 4099),
      );
      expect(out.length / 2).toBe(Math.round((frames * outRate) / inRate));
      expect(resampledLength(frames, inRate, outRate)).toBe(Math.round((frames * outRate) / inRate));
    }
  });

  it('gives the same samples whatever the chunk sizes', () => {
    const input = sine(20000, 44100, 2, [1000, 3000]);
    const whole = run(input, 2, 44100, 48000, () => 1 << 30);
    const tiny = run(input, 2, 44100, 48000, (i) => 1 + (i % 13));
    expect(Array.from(tiny)).toEqual(Array.from(whole));
  });

  it.each(pairs.filter(([a, b]) => a >= 22050 && b >= 22050))(
    '%i -> %i stays within -90 dB of the ideal sine',
    (inRate, outRate) => {
      const seconds = 1;
      const freqs = [1000, 7000];
      const out = run(sine(inRate * seconds, inRate, 2, freqs), 2, inRate, outRate, () => 8192);
      const ideal = sine(outRate * seconds, outRate, 2, freqs);
      // Away from the edges, where the input itself starts and stops abruptly.
      const edge = Math.ceil(outRate * 0.005);
      let worst = 0;
      for (let i = edge * 2; i < out.length - edge * 2; i++)
        worst = Math.max(worst, Math.abs((out[i] ?? 0) - (ideal[i] ?? 0)));
      expect(20 * Math.log10(worst)).toBeLessThan(-90);
    },
  );

  it('keeps a constant constant (unity gain at DC in every phase)', () => {
    const input = new Float64Array(10000).fill(0.25);
    const out = run(input, 1, 44100, 48000, () => 1000);
    for (let i = 200; i < out.length - 200; i++) expect(Math.abs((out[i] ?? 0) - 0.25)).toBeLessThan(1e-9);
  });

  it('refuses rates that are not positive integers', () => {
    expect(() => createResampler({ inRate: 44100.5, outRate: 48000, channels: 1 })).toThrow(RangeError);
    expect(() => createResampler({ inRate: 0, outRate: 48000, channels: 1 })).toThrow(RangeError);
  });
});
