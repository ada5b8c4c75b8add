// The one-pass chunk analyser (PCM bytes, peaks, level) against brute force, the peaks file format,
// level choice and the conversion to wavesurfer.js arrays.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChunkAnalyser } from '../../electron/core/audio/chunk-analyser.ts';
import { encodeS24le, quantizeS24 } from '../../electron/core/audio/pcm-cache.ts';
import {
  decodePeaks,
  encodePeaks,
  PeaksFormatError,
  readPeaks,
  readPeaksLevel,
  selectLevel,
  toWaveSurferPeaks,
} from '../../electron/core/audio/peaks.ts';
import type { PeaksFile } from '../../electron/core/audio/peaks.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-peaks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Deterministic floats per channel, including out-of-range values and exact half steps. */
function signal(frames: number, channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) out[i] = ((((i + c * 7) * 2654435761) >>> 0) / 2 ** 32) * 2.4 - 1.2;
    out.set([1, -1, 0.5 / 8388608, -0.5 / 8388608, 1.5 / 8388608, -1.5 / 8388608, 0.99999994, -0], 100);
    return out;
  });
}

function bruteForce(
  values: Int32Array,
  channels: number,
  channel: number,
  from: number,
  to: number,
): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let f = from; f < to; f++) {
    const v = values[f * channels + channel] ?? 0;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [Math.round(min / 256), Math.min(32767, Math.round(max / 256))];
}

function analyse(frames: number, channels: number, chunk: number) {
  const input = signal(frames, channels);
  const expected = new Int32Array(frames * channels);
  input.forEach((data, c) => data.forEach((x, f) => (expected[f * channels + c] = quantizeS24(x))));
  const analyser = createChunkAnalyser(channels);
  const bytes = new Uint8Array(frames * channels * 3);
  for (let f = 0; f < frames; f += chunk) {
    const n = Math.min(chunk, frames - f);
    bytes.set(
      analyser.process(
        input.map((data) => data.subarray(f, f + n)),
        n,
      ),
      f * channels * 3,
    );
  }
  const result = analyser.finish();
  const file: PeaksFile = {
    version: 1,
    sampleRate: 44100,
    channels,
    sampleCount: frames,
    levels: result.levels,
  };
  return { expected, bytes, result, file };
}

describe('createChunkAnalyser', () => {
  it('writes the s24le bytes of quantizeS24 and measures peak and sum of squares exactly', () => {
    const { expected, bytes, result } = analyse(5000, 2, 777);
    const reference = new Uint8Array(expected.length * 3);
    encodeS24le(expected, expected.length, reference);
    expect(bytes).toEqual(reference);
    expect(result.peakAbs).toBe(Math.max(...Array.from(expected, Math.abs)));
    // Summed per channel and per peak, so only rounding of the order may differ.
    expect(result.sumSquares / expected.reduce((sum, v) => sum + v * v, 0)).toBeCloseTo(1, 12);
  });

  it('matches a brute-force min/max at every level, whatever the chunking, with a partial last peak', () => {
    const frames = 16384 * 2 + 5000;
    for (const chunk of [1000, 4097, frames]) {
      const { expected, file } = analyse(frames, 2, chunk);
      expect(file.levels.map((l) => [l.samplesPerPeak, l.peakCount])).toEqual([
        [256, Math.ceil(frames / 256)],
        [1024, Math.ceil(frames / 1024)],
        [4096, Math.ceil(frames / 4096)],
        [16384, 3],
      ]);
      for (const level of file.levels) {
        for (let c = 0; c < 2; c++) {
          for (let p = 0; p < level.peakCount; p++) {
            const to = Math.min(frames, (p + 1) * level.samplesPerPeak);
            const pair = [level.data[c]?.[2 * p], level.data[c]?.[2 * p + 1]];
            expect(pair).toEqual(bruteForce(expected, 2, c, p * level.samplesPerPeak, to));
          }
        }
      }
    }
  });
});

describe('peaks file', () => {
  it('round-trips through bytes and disk', async () => {
    const { file } = analyse(10000, 1, 3000);
    const bytes = encodePeaks(file);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('SHPK');
    expect(bytes.length).toBe(20 + 4 * 8 + 4 * (40 + 10 + 3 + 1));
    const path = join(dir, 'x.peaks');
    await writeFile(path, bytes);
    expect(await readPeaks(path)).toEqual(file);
  });

  it('refuses other files and truncated ones', () => {
    expect(() => decodePeaks(new TextEncoder().encode('RIFF....WAVEfmt more bytes here'))).toThrow(
      PeaksFormatError,
    );
    const bytes = encodePeaks(analyse(10000, 2, 10000).file);
    expect(() => decodePeaks(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
  });
});

describe('one level read alone (what the studio asks for every lane)', () => {
  it('gives what decoding the whole file and choosing gives, for every choice', async () => {
    const { file } = analyse(16384 * 10 + 77, 2, 50000);
    const path = join(dir, 'levels.peaks');
    await writeFile(path, encodePeaks(file));
    for (const pixels of [1, 10, 11, 200, 641, 100000]) {
      const { level, ...rest } = await readPeaksLevel(path, pixels);
      expect(level).toEqual(selectLevel(file.levels, pixels));
      expect(rest).toEqual({
        version: 1,
        sampleRate: file.sampleRate,
        channels: 2,
        sampleCount: file.sampleCount,
      });
    }
  });

  it('refuses other files and files cut anywhere, and says so for a missing one', async () => {
    const bytes = encodePeaks(analyse(16384 * 3, 2, 50000).file);
    const cuts = [0, 10, 19, 20, 30, 52, bytes.length - 2];
    for (const cut of cuts) {
      const path = join(dir, `cut-${cut}.peaks`);
      await writeFile(path, bytes.subarray(0, cut));
      // One pixel picks the coarsest level, stored last: a cut anywhere leaves it short.
      await expect(readPeaksLevel(path, 1)).rejects.toThrow(PeaksFormatError);
    }
    // A header claiming a level of 2^31 peaks: refused from the file's size, nothing that large made.
    const lying = new Uint8Array(bytes);
    new DataView(lying.buffer).setUint32(20 + 8 * 3 + 4, 2 ** 31, true);
    await writeFile(join(dir, 'lying.peaks'), lying);
    await expect(readPeaksLevel(join(dir, 'lying.peaks'), 1)).rejects.toThrow(/truncated/);
    await writeFile(join(dir, 'wave.peaks'), new TextEncoder().encode('RIFF....WAVEfmt more bytes here'));
    await expect(readPeaksLevel(join(dir, 'wave.peaks'), 10)).rejects.toThrow(/not a peaks file/);
    await expect(readPeaksLevel(join(dir, 'missing.peaks'), 10)).rejects.toThrow(/ENOENT/);
  });
});

describe('selectLevel and toWaveSurferPeaks', () => {
  it('picks the coarsest level with at least one peak per pixel', () => {
    const { file } = analyse(16384 * 10, 1, 50000); // 640, 160, 40, 10 peaks
    expect(selectLevel(file.levels, 8).samplesPerPeak).toBe(16384);
    expect(selectLevel(file.levels, 10).samplesPerPeak).toBe(16384);
    expect(selectLevel(file.levels, 11).samplesPerPeak).toBe(4096);
    expect(selectLevel(file.levels, 500).samplesPerPeak).toBe(256);
    expect(selectLevel(file.levels, 5000).samplesPerPeak).toBe(256);
  });

  it('keeps the larger-magnitude extreme of each pair, scaled to -1..1, one array per channel', () => {
    const level = {
      samplesPerPeak: 256,
      peakCount: 3,
      data: [new Int16Array([-16384, 8192, -100, 32767, -32768, 0]), new Int16Array([0, 0, -5, 4, -1, 1])],
    };
    expect(toWaveSurferPeaks(level)).toEqual([
      [-0.5, 32767 / 32768, -1],
      [0, -5 / 32768, 1 / 32768],
    ]);
  });
});
