// MPEG frame header parsing, first-frame detection and the truncation walker, on hand-built frames.
import { describe, expect, it } from 'vitest';
import { createFrameWalker } from '../../electron/core/audio/frame-walker.ts';
import { findFirstFrame, parseFrameHeader } from '../../electron/core/audio/mpeg-header.ts';
import type { FirstFrame } from '../../electron/core/audio/mpeg-header.ts';
import { concatBytes } from '../helpers/tone-mp3.ts';

// MPEG-1 layer III, 128 kbps, 44.1 kHz, no padding: 144 * 128000 / 44100 = 417 bytes.
const STEREO = [0xff, 0xfb, 0x90, 0x04];
const FRAME = 417;

function frames(count: number, options: { xingFrames?: number; header?: number[] } = {}): Uint8Array {
  const out = new Uint8Array(count * FRAME);
  for (let i = 0; i < count; i++) out.set(options.header ?? STEREO, i * FRAME);
  if (options.xingFrames !== undefined) {
    out.set(new TextEncoder().encode('Info'), 36);
    out.set([0, 0, 0, 1], 40);
    new DataView(out.buffer).setUint32(44, options.xingFrames);
  }
  return out;
}

function first(bytes: Uint8Array): FirstFrame | null {
  return findFirstFrame((position, length) => bytes.subarray(position, position + length), bytes.length);
}

function walk(bytes: Uint8Array, chunkSize: number): string | null {
  const start = first(bytes);
  if (!start) throw new Error('no first frame');
  const walker = createFrameWalker(start);
  for (let position = 0; position < bytes.length; position += chunkSize) {
    walker.push(bytes.subarray(position, position + chunkSize), position);
  }
  return walker.finish(bytes.length);
}

describe('parseFrameHeader', () => {
  it('reads version, layer, rate, channels and frame length', () => {
    expect(parseFrameHeader(0xff, 0xfb, 0x90, 0x04)).toEqual({
      version: 1,
      layer: 3,
      sampleRate: 44100,
      channels: 2,
      frameLength: 417,
      samplesPerFrame: 1152,
    });
    expect(parseFrameHeader(0xff, 0xfb, 0x92, 0xc4)).toMatchObject({ channels: 1, frameLength: 418 });
    // MPEG-2 layer III, 64 kbps, 24 kHz: 72 * 64000 / 24000 = 192 bytes, 576 samples.
    expect(parseFrameHeader(0xff, 0xf3, 0x84, 0x00)).toMatchObject({
      version: 2,
      sampleRate: 24000,
      frameLength: 192,
      samplesPerFrame: 576,
    });
  });

  it('rejects non-sync bytes, reserved fields and free-format bitrate', () => {
    expect(parseFrameHeader(0x49, 0x44, 0x33, 0x04)).toBeNull();
    expect(parseFrameHeader(0xff, 0xeb, 0x90, 0x04)).toBeNull(); // reserved version
    expect(parseFrameHeader(0xff, 0xf9, 0x90, 0x04)).toBeNull(); // reserved layer
    expect(parseFrameHeader(0xff, 0xfb, 0x0c, 0x04)).toBeNull(); // reserved sample rate, free format
    expect(parseFrameHeader(0xff, 0xfb, 0xf0, 0x04)).toBeNull(); // bad bitrate
  });
});

describe('findFirstFrame', () => {
  it('skips an ID3v2 tag and junk, and reads the Xing frame count', () => {
    const id3 = new Uint8Array(10 + 300);
    id3.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 2, 44]); // syncsafe 300
    const junk = new Uint8Array([0xff, 0xfb, 0x00, 0x12, 0x34]);
    const found = first(concatBytes(id3, junk, frames(5, { xingFrames: 4 })));
    expect(found).toMatchObject({ offset: 315, minFrames: 5 });
    expect(found?.header.channels).toBe(2);
  });

  it('finds nothing in text', () => {
    expect(first(new TextEncoder().encode('hello world '.repeat(1000)))).toBeNull();
  });
});

describe('createFrameWalker', () => {
  it('accepts a complete stream fed in any chunk size, with a trailing ID3v1 tag', () => {
    const tag = new Uint8Array(128);
    tag.set(new TextEncoder().encode('TAG'));
    const bytes = concatBytes(frames(20), tag);
    for (const size of [1, 3, 100, 417, 4096]) expect(walk(bytes, size)).toBeNull();
  });

  it('reports a stream cut inside a frame, at any chunk size', () => {
    const bytes = frames(20).subarray(0, 20 * FRAME - 100);
    for (const size of [1, 7, 4096]) expect(walk(bytes, size)).toMatch(/100 more bytes/);
  });

  it('reports a stream cut at a frame boundary when its Xing header promised more frames', () => {
    for (const size of [1, 512]) {
      expect(walk(frames(10, { xingFrames: 9 }), size)).toBeNull();
      expect(walk(frames(8, { xingFrames: 9 }), size)).toMatch(/announces 10 frames, file has 8/);
    }
  });

  it('resyncs over corrupt bytes without calling the file truncated', () => {
    const bytes = frames(20);
    bytes.fill(0x00, 5 * FRAME, 7 * FRAME + 10);
    expect(walk(bytes, 1000)).toBeNull();
  });
});
