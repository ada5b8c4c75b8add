// The PCM cache format (interleaved s24le at the file's own rate and channel count, i.e. the bytes of
// a 24-bit WAV data chunk, so export is a copy) and how to write, read and down-convert it.
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { diskFullProblem } from '../disk-space.ts';
import { IngestError } from './errors.ts';

export const BYTES_PER_SAMPLE = 3;

/**
 * Full scale is 2^23 = 8388608: a float x maps to round(x * 8388608) clamped to [-8388608, 8388607],
 * which is the same as clamping x to [-1, 1) first. Math.round rounds halves toward +infinity; what
 * matters is that every path (cache, tests, export) uses this one function.
 */
export const S24_SCALE = 8388608;
const S24_MAX = 8388607;

export function quantizeS24(x: number): number {
  const q = Math.round(x * S24_SCALE);
  return q > S24_MAX ? S24_MAX : q < -S24_SCALE ? -S24_SCALE : q;
}

/** Packs 24-bit values as little-endian byte triplets into `out` (length * 3 bytes). */
export function encodeS24le(samples: Int32Array, length: number, out: Uint8Array): void {
  for (let i = 0, o = 0; i < length; i++, o += 3) {
    const v = samples[i] ?? 0;
    out[o] = v & 0xff;
    out[o + 1] = (v >> 8) & 0xff;
    out[o + 2] = (v >> 16) & 0xff;
  }
}

export function decodeS24le(bytes: Uint8Array): Int32Array {
  const count = Math.floor(bytes.length / BYTES_PER_SAMPLE);
  const out = new Int32Array(count);
  for (let i = 0, o = 0; i < count; i++, o += 3) {
    // Shift the top byte into bit 31 and back to sign-extend the 24-bit value.
    out[i] = (((bytes[o + 2] ?? 0) << 24) | ((bytes[o + 1] ?? 0) << 16) | ((bytes[o] ?? 0) << 8)) >> 8;
  }
  return out;
}

/**
 * Reads interleaved 24-bit sample values for frames [startFrame, startFrame + frameCount); a range
 * running past the end of the cache is cut short rather than padded, so check the returned length.
 */
export async function readPcmFrames(
  pcmPath: string,
  channels: number,
  startFrame: number,
  frameCount: number,
): Promise<Int32Array> {
  const frameBytes = channels * BYTES_PER_SAMPLE;
  const handle = await open(pcmPath, 'r');
  try {
    const buffer = new Uint8Array(Math.max(0, frameCount) * frameBytes);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(
        buffer,
        filled,
        buffer.length - filled,
        startFrame * frameBytes + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return decodeS24le(buffer.subarray(0, filled - (filled % frameBytes)));
  } finally {
    await handle.close();
  }
}

/**
 * Keeps the top 16 bits of each s24le sample (a truncation, the cheap path for int16 playback).
 * Every PCM read the studio makes goes through here on the host, a seek's too: four samples at a
 * time, as three little-endian words in and two out (0.8 ns a sample under Node 24 against 2.4
 * byte by byte), where the bytes start on a word; the rest byte by byte.
 */
export function pcmToInt16(buffer: Uint8Array): Int16Array {
  const count = Math.floor(buffer.length / BYTES_PER_SAMPLE);
  const out = new Int16Array(count);
  const quads = buffer.byteOffset % 4 === 0 ? count >> 2 : 0;
  const words = quads > 0 ? new Uint32Array(buffer.buffer, buffer.byteOffset, quads * 3) : new Uint32Array(0);
  const pairs = new Uint32Array(out.buffer, 0, quads * 2);
  // Samples a|b|c (low to high byte) keep b|c. In: a0 b0 c0 a1 | b1 c1 a2 b2 | c2 a3 b3 c3.
  for (let q = 0, w = 0, p = 0; q < quads; q++, w += 3, p += 2) {
    const w0 = words[w] ?? 0;
    const w1 = words[w + 1] ?? 0;
    const w2 = words[w + 2] ?? 0;
    pairs[p] = ((w0 >>> 8) & 0xffff) | (w1 << 16);
    pairs[p + 1] = (w1 >>> 24) | ((w2 << 8) & 0xff00) | (w2 & 0xffff0000);
  }
  for (let i = quads * 4, o = i * 3; i < count; i++, o += 3) {
    out[i] = ((buffer[o + 2] ?? 0) << 8) | (buffer[o + 1] ?? 0);
  }
  return out;
}

/** Refuses up front when the disk cannot hold the PCM cache this file should decode to. */
export async function checkCacheSpace(
  pcmPart: string,
  seconds: number,
  sampleRate: number,
  channels: number,
): Promise<void> {
  const bytes = Math.ceil(seconds * sampleRate) * channels * BYTES_PER_SAMPLE;
  const problem = await diskFullProblem(dirname(pcmPart), bytes, 'the playback cache');
  if (problem) throw new IngestError('disk_full', `${problem} Free some space; Stemhook tries again.`);
}
