// FLAC files that lie, are cut short or are damaged: each ends in a plain IngestError (never an
// internal error, a hang or a half-written cache), and what ffmpeg's encoder never writes (escape-
// coded residuals) still decodes exactly, with ffmpeg as the oracle.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../electron/core/audio/errors.ts';
import { ingestFlacFile } from '../../electron/core/audio/flac/ingest-flac.ts';
import { encodeWithFfmpeg, ffmpegS24, hasFlacTools, toS24le } from '../helpers/flac-oracle.ts';
import { concat, crc8, flacFrame, flacHead, type FrameSpec } from '../helpers/flac-writer.ts';

let dir = '';
/** A valid 1 s stereo 16-bit 44.1 kHz file from ffmpeg, the base most cases damage. */
let valid: Buffer = Buffer.alloc(0);
let count = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-flac-hostile-'));
  if (hasFlacTools()) {
    const made = encodeWithFfmpeg(
      join(dir, 'valid.flac'),
      { kind: 'panned', frames: 44100, channels: 2, bits: 16, sampleRate: 44100 },
      [],
    );
    valid = await readFile(made.path);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function decode(bytes: Uint8Array, maxSeconds?: number) {
  const name = `case-${count++}`;
  const flacPath = join(dir, `${name}.flac`);
  await writeFile(flacPath, bytes);
  const outBase = join(dir, name);
  const outcome = await ingestFlacFile({ flacPath, outBase, maxSeconds }).then(
    (result) => ({ result, error: null }),
    (error: unknown) => ({ result: null, error }),
  );
  return { ...outcome, outBase, flacPath };
}

/** The decode fails with `code` (and a message matching `message`) and leaves nothing behind. */
async function expectRefusal(bytes: Uint8Array, code: string, message?: RegExp, maxSeconds?: number) {
  const { error, outBase } = await decode(bytes, maxSeconds);
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).code).toBe(code);
  if (message) expect((error as IngestError).message).toMatch(message);
  const prefix = `${outBase.split('/').pop()}.`;
  expect((await readdir(dir)).filter((f) => f.startsWith(prefix) && !f.endsWith('.flac'))).toEqual([]);
  return error as IngestError;
}

/** STREAMINFO sits at bytes 8..42 of a file with no ID3 tag; field offsets within it. */
function patched(base: Buffer, edit: (streamInfo: DataView) => void): Buffer {
  const copy = Buffer.from(base);
  edit(new DataView(copy.buffer, copy.byteOffset + 8, 34));
  return copy;
}

function setTotalSamples(view: DataView, total: number): void {
  view.setUint8(13, (view.getUint8(13) & 0xf0) | Math.floor(total / 2 ** 32));
  view.setUint32(14, total % 2 ** 32);
}

function setRateChannelsBits(view: DataView, rate: number, channels: number, bits: number): void {
  const packed = view.getUint32(10);
  view.setUint32(10, ((rate << 12) | ((channels - 1) << 9) | ((bits - 1) << 4) | (packed & 0xf)) >>> 0);
}

/** Rice-coded ramp values for a mono frame of `size` samples. */
function ramp(size: number, from = 0): number[] {
  return Array.from({ length: size }, (_, i) => (((from + i) * 37) % 2000) - 1000);
}

function frames(...specs: FrameSpec[]): Uint8Array[] {
  return specs.map(flacFrame);
}

describe.skipIf(!hasFlacTools())('FLAC that lies in its header', () => {
  it('more samples announced than the frames hold: truncated', async () => {
    await expectRefusal(
      patched(valid, (v) => setTotalSamples(v, 44100 + 5000)),
      'truncated',
      /cut short/,
    );
  });

  it('fewer samples announced than the frames hold: refused as damaged', async () => {
    await expectRefusal(
      patched(valid, (v) => setTotalSamples(v, 20000)),
      'not_audio',
      /more audio than its header/,
    );
  });

  it('a sample rate, channel count or bit depth the frames contradict', async () => {
    await expectRefusal(
      patched(valid, (v) => setRateChannelsBits(v, 48000, 2, 16)),
      'not_audio',
      /do not match/,
    );
    await expectRefusal(
      patched(valid, (v) => setRateChannelsBits(v, 44100, 1, 16)),
      'not_audio',
      /do not match/,
    );
    await expectRefusal(
      patched(valid, (v) => setRateChannelsBits(v, 44100, 2, 24)),
      'not_audio',
      /do not match/,
    );
  });

  it('a rate or depth no take has, and 32-bit samples, are refused before any decoding', async () => {
    await expectRefusal(
      patched(valid, (v) => setRateChannelsBits(v, 0, 2, 16)),
      'not_audio',
      /sample rate of 0 Hz/,
    );
    await expectRefusal(
      patched(valid, (v) => setRateChannelsBits(v, 44100, 2, 32)),
      'not_audio',
      /up to 24 bits/,
    );
  });

  it('a length past the limit is refused up front, and an unknown length once the decode passes it', async () => {
    await expectRefusal(valid, 'too_long', /longer than/, 0.5);
    await expectRefusal(
      patched(valid, (v) => setTotalSamples(v, 0)),
      'too_long',
      /longer than/,
      0.5,
    );
  });
});

describe.skipIf(!hasFlacTools())('FLAC cut short or damaged', () => {
  it('cut inside a frame, inside the metadata, or right after "fLaC": truncated', async () => {
    await expectRefusal(valid.subarray(0, Math.floor(valid.length * 0.6)), 'truncated', /cut short/);
    await expectRefusal(valid.subarray(0, 30), 'truncated');
    await expectRefusal(valid.subarray(0, 4), 'truncated');
  });

  it('an ID3v1 tag at the end is ignored; other bytes after the last frame of an unknown length are damage', async () => {
    const tag = Buffer.concat([Buffer.from('TAG'), Buffer.alloc(125, 0x20)]);
    const unknownLength = patched(valid, (v) => setTotalSamples(v, 0));
    const reference = ffmpegS24(join(dir, 'valid.flac'));
    for (const bytes of [Buffer.concat([valid, tag]), Buffer.concat([unknownLength, tag])]) {
      const { result } = await decode(bytes);
      expect(result?.sampleCount).toBe(44100);
      expect((await readFile(result!.pcmPath)).equals(reference)).toBe(true);
    }
    await expectRefusal(Buffer.concat([unknownLength, tag, tag]), 'not_audio', /no frame sync/);
  });

  it('a frame that fails its CRC-16 refuses the source, saying so plainly', async () => {
    const damaged = Buffer.from(valid);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 0x01, damaged.length - 1);
    await expectRefusal(damaged, 'not_audio', /damaged \(a frame fails its checksum\)/);
  });

  it('random bytes after "fLaC" or after a valid STREAMINFO: a plain refusal every time', async () => {
    let state = 12345;
    const random = (n: number) =>
      Uint8Array.from({ length: n }, () => {
        state = (state * 1103515245 + 12345) >>> 0;
        return state >>> 24;
      });
    for (let i = 0; i < 40; i++) {
      const size = i % 2 ? 300 : 70_000;
      const afterMarker = await expectRefusalAny(concat(Buffer.from('fLaC'), random(size)));
      const afterInfo = await expectRefusalAny(concat(valid.subarray(0, 42), random(size)));
      expect(['not_audio', 'truncated']).toContain(afterMarker.code);
      expect(['not_audio', 'truncated']).toContain(afterInfo.code);
    }
  });

  it('single flipped bytes anywhere: decoded exactly or refused plainly, never an internal error', async () => {
    const reference = ffmpegS24(join(dir, 'valid.flac'));
    let state = 99;
    for (let i = 0; i < 60; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const at = 42 + (state % (valid.length - 42));
      const damaged = Buffer.from(valid);
      damaged.writeUInt8(damaged.readUInt8(at) ^ (1 << (state >>> 29)), at);
      const { result, error } = await decode(damaged);
      if (result) expect((await readFile(result.pcmPath)).equals(reference)).toBe(true);
      else {
        expect(error).toBeInstanceOf(IngestError);
        expect((error as IngestError).code).not.toBe('internal');
      }
    }
  });
});

async function expectRefusalAny(bytes: Uint8Array): Promise<IngestError> {
  const { error, result } = await decode(bytes);
  expect(result).toBeNull();
  expect(error).toBeInstanceOf(IngestError);
  return error as IngestError;
}

describe('FLAC frames made by hand', () => {
  const head = (total: number, maxBlockSize = 4096) => flacHead({ totalSamples: total, maxBlockSize });

  it('decodes escape-coded partitions exactly (ffmpeg agrees)', async () => {
    const a = ramp(2048);
    const b = ramp(2048, 2048).map((v) => v * 16);
    const bytes = concat(
      head(4096),
      ...frames({
        number: 0,
        blockSize: 4096,
        partitions: [
          { escapeBits: 12, values: a.slice(0, 1024) },
          { parameter: 9, values: a.slice(1024) },
          { escapeBits: 0, values: new Array<number>(1024).fill(0) },
          { escapeBits: 16, values: b.slice(0, 1024) },
        ],
      }),
    );
    const { result, flacPath } = await decode(bytes);
    const expected = toS24le(
      Int32Array.from([...a, ...new Array<number>(1024).fill(0), ...b.slice(0, 1024)]),
      16,
    );
    expect(result).not.toBeNull();
    const cache = await readFile(result!.pcmPath);
    expect(cache.equals(expected)).toBe(true);
    if (existsSync('/usr/bin/ffmpeg')) expect(cache.equals(ffmpegS24(flacPath))).toBe(true);
  });

  it('a stream cut exactly at a frame boundary is truncated (its header announced more)', async () => {
    const one = { blockSize: 1024, partitions: [{ parameter: 10, values: ramp(1024) }] };
    const whole = concat(
      head(3072),
      ...frames({ number: 0, ...one }, { number: 1, ...one }, { number: 2, ...one }),
    );
    expect((await decode(whole)).result?.sampleCount).toBe(3072);
    const cut = concat(head(3072), ...frames({ number: 0, ...one }, { number: 1, ...one }));
    await expectRefusal(cut, 'truncated', /ends after 0\.0 s of the 0\.1 s/);
  });

  it('a missing frame in the middle is refused', async () => {
    const one = { blockSize: 1024, partitions: [{ parameter: 10, values: ramp(1024) }] };
    const gap = concat(head(0), ...frames({ number: 0, ...one }, { number: 2, ...one }));
    await expectRefusal(gap, 'not_audio', /missing or out of order/);
  });

  it('a frame claiming a block larger than STREAMINFO allows is refused before it is read', async () => {
    const huge = flacFrame({
      number: 0,
      blockSize: 1024,
      blockSizeOverride: 65535,
      partitions: [{ parameter: 10, values: ramp(1024) }],
    });
    await expectRefusal(concat(head(0), huge), 'not_audio', /claims 65535 samples, more than the 4096/);
  });

  it('a huge block that STREAMINFO allows but the bytes do not hold: truncated, not a hang', async () => {
    const huge = flacFrame({
      number: 0,
      blockSize: 1024,
      blockSizeOverride: 65535,
      partitions: [{ parameter: 10, values: ramp(1024) }],
    });
    await expectRefusal(concat(head(0, 65535), huge), 'truncated');
  });

  it('a Rice code running past the end of the file, or through megabytes of zeros: refused, bounded', async () => {
    const good = flacFrame({
      number: 0,
      blockSize: 4096,
      partitions: [{ parameter: 14, values: ramp(4096) }],
    });
    await expectRefusal(concat(head(0), good.subarray(0, 600)), 'truncated', /cut short/);
    // All-zero bytes are one endless unary code: the frame-size bound stops the scan long before EOF.
    const zeros = concat(head(0), good.subarray(0, 40), new Uint8Array(8 * 1024 * 1024));
    await expectRefusal(zeros, 'not_audio', /runs far past/);
  });

  it('a damaged frame header fails its CRC-8', async () => {
    const frame = Buffer.from(
      flacFrame({ number: 0, blockSize: 1024, partitions: [{ parameter: 10, values: ramp(1024) }] }),
    );
    frame[7] = crc8(frame.subarray(0, 7)) ^ 0xff;
    await expectRefusal(concat(head(0), frame), 'not_audio', /frame header checksum/);
  });
});
