// The s24le PCM cache: quantisation edges, byte layout, ranged reads and the int16 view.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeS24le,
  encodeS24le,
  pcmToInt16,
  quantizeS24,
  readPcmFrames,
} from '../../electron/core/audio/pcm-cache.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-pcm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('quantizeS24', () => {
  it('scales by 2^23, rounds, and clamps to the 24-bit range', () => {
    expect(quantizeS24(0)).toBe(0);
    expect(quantizeS24(0.5)).toBe(4194304);
    expect(quantizeS24(-1)).toBe(-8388608);
    expect(quantizeS24(1)).toBe(8388607);
    expect(quantizeS24(1.7)).toBe(8388607);
    expect(quantizeS24(-3)).toBe(-8388608);
    expect(quantizeS24(0.6 / 8388608)).toBe(1);
    expect(quantizeS24(0.4 / 8388608)).toBe(0);
    expect(quantizeS24(-0.6 / 8388608)).toBe(-1);
  });
});

describe('s24le bytes', () => {
  it('writes little-endian two-complement triplets and reads them back sign-extended', () => {
    const values = new Int32Array([0, 1, -1, 8388607, -8388608, 0x123456, -0x123456]);
    const bytes = new Uint8Array(values.length * 3);
    encodeS24le(values, values.length, bytes);
    expect(Array.from(bytes.subarray(0, 15))).toEqual([
      0, 0, 0, 1, 0, 0, 255, 255, 255, 255, 255, 127, 0, 0, 128,
    ]);
    expect(Array.from(bytes.subarray(15, 18))).toEqual([0x56, 0x34, 0x12]);
    expect(Array.from(decodeS24le(bytes))).toEqual(Array.from(values));
  });

  it('keeps the top 16 bits for int16 playback', () => {
    const values = new Int32Array([0, 255, 256, -1, -256, 8388607, -8388608, 0x123456]);
    const bytes = new Uint8Array(values.length * 3);
    encodeS24le(values, values.length, bytes);
    expect(Array.from(pcmToInt16(bytes))).toEqual([0, 0, 1, -1, -1, 32767, -32768, 0x1234]);
  });

  it('converts four samples at a time exactly as one by one, at any length and offset', () => {
    const bytes = Uint8Array.from({ length: 3 * 1000 + 2 }, (_, i) => (i * 2654435761) >>> 24);
    const oneByOne = (view: Uint8Array) =>
      Array.from(
        { length: Math.floor(view.length / 3) },
        (_, i) => (((view[i * 3 + 2] ?? 0) << 24) >> 16) | (view[i * 3 + 1] ?? 0),
      );
    for (const [offset, length] of [
      [0, 3002],
      [0, 3 * 13],
      [0, 3 * 7 + 2],
      [4, 3 * 9],
      [3, 3 * 11], // not on a word: byte by byte throughout
      [8, 0],
    ] as const) {
      const view = bytes.subarray(offset, offset + length);
      expect(Array.from(pcmToInt16(view))).toEqual(oneByOne(view));
    }
  });
});

describe('readPcmFrames', () => {
  it('reads a frame range of an interleaved file and cuts a range past the end short', async () => {
    const channels = 2;
    const values = new Int32Array(100 * channels).map((_, i) => (i % 2 ? -i : i) * 1000);
    const bytes = new Uint8Array(values.length * 3);
    encodeS24le(values, values.length, bytes);
    const path = join(dir, 'a.pcm');
    await writeFile(path, bytes);
    expect(Array.from(await readPcmFrames(path, channels, 10, 3))).toEqual(
      Array.from(values.subarray(20, 26)),
    );
    expect(Array.from(await readPcmFrames(path, channels, 98, 10))).toEqual(
      Array.from(values.subarray(196, 200)),
    );
    expect((await readPcmFrames(path, channels, 200, 10)).length).toBe(0);
  });
});
