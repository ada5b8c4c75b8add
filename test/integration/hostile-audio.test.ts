// Issue 9 items 7 and 8: hostile or broken result files are refused before they cost memory or disk.
// A WAV header lying about its format (32,768 channels in 131 KB), a WAV or MP3 running far longer
// than allowed (stopped the moment the limit is crossed), and caches that do not fit on the disk
// (an MP3, and a FLAC source whether or not its header says how long it is).
// Everything runs for real: the worker pool, files on disk, a small tmpfs for the full disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestor, IngestError, type Ingestor } from '../../electron/core/audio/index.ts';
import { MAX_TAKE_SECONDS, maxDecodeSeconds } from '../../electron/core/audio/limits.ts';
import { DISK_RESERVE_BYTES } from '../../electron/core/disk-space.ts';
import { ExportError } from '../../electron/core/export/errors.ts';
import { createWavWriter } from '../../electron/core/export/wav-writer.ts';
import { encodeWithFfmpeg, hasFlacTools } from '../helpers/flac-oracle.ts';
import { canMountSmallDisk, mountSmallDisk } from '../helpers/small-disk.ts';
import { encodeToneMp3, writeToneMp3 } from '../helpers/tone-mp3.ts';

let dir = '';
let ingestor: Ingestor;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-hostile-'));
  ingestor = createIngestor({ workers: 2 });
});
afterAll(async () => {
  await ingestor?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A canonical 44-byte WAV header with whatever the test wants it to claim, then `dataBytes` of zeros. */
function wavBytes(f: { channels: number; sampleRate: number; bits: number; dataBytes: number }): Buffer {
  const out = Buffer.alloc(44 + f.dataBytes);
  const blockAlign = (f.channels * f.bits) / 8;
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + f.dataBytes, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(f.channels, 22);
  out.writeUInt32LE(f.sampleRate, 24);
  out.writeUInt32LE((f.sampleRate * blockAlign) >>> 0, 28);
  out.writeUInt16LE(blockAlign & 0xffff, 32);
  out.writeUInt16LE(f.bits, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(f.dataBytes, 40);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<IngestError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  return error as IngestError;
}

const leftovers = (base: string) => readdirSync(dir).filter((name) => name.startsWith(base));

describe('WAV headers that lie', () => {
  it.each([
    ['32,768 channels', { channels: 32768, sampleRate: 44100, bits: 8 }, /claims 32768 channels/],
    ['65,535 channels', { channels: 65535, sampleRate: 44100, bits: 8 }, /claims 65535 channels/],
    ['a 1 Hz rate', { channels: 2, sampleRate: 1, bits: 16 }, /sample rate of 1 Hz/],
    ['a 4 GHz rate', { channels: 2, sampleRate: 4_000_000_000, bits: 16 }, /sample rate of 4000000000 Hz/],
  ])('refuses %s in the worker pool with a plain reason and no cache', async (name, format, reason) => {
    const base = `lying-${name.replace(/\W+/g, '-')}`;
    const wavPath = join(dir, `${base}.wav`);
    await writeFile(wavPath, wavBytes({ ...format, dataBytes: 131_072 - 44 }));
    const error = await rejection(ingestor.ingestWav({ wavPath, outBase: join(dir, base) }));
    expect(error.code).toBe('not_audio');
    expect(error.message).toMatch(reason);
    expect(leftovers(base)).toEqual([`${base}.wav`]);
  });

  it('refuses a WAV longer than allowed from its header, before decoding a frame', async () => {
    // 20 s of real (silent) 8 kHz mono audio against a 5 s limit.
    const wavPath = join(dir, 'long.wav');
    await writeFile(wavPath, wavBytes({ channels: 1, sampleRate: 8000, bits: 16, dataBytes: 20 * 8000 * 2 }));
    const error = await rejection(ingestor.ingestWav({ wavPath, outBase: join(dir, 'long'), maxSeconds: 5 }));
    expect(error.code).toBe('too_long');
    expect(error.message).toMatch(/longer than 5 s/);
    expect(leftovers('long')).toEqual(['long.wav']);
  });

  it('still ingests an honest WAV through the pool', async () => {
    const wavPath = join(dir, 'honest.wav');
    await writeFile(wavPath, wavBytes({ channels: 2, sampleRate: 48000, bits: 16, dataBytes: 48000 * 4 }));
    const result = await ingestor.ingestWav({ wavPath, outBase: join(dir, 'honest') });
    expect(result).toMatchObject({ channels: 2, sampleRate: 48000, sampleCount: 48000 });
  });

  it('runs WAV ingest in the worker pool: a closed pool refuses it', async () => {
    const pool = createIngestor({ workers: 1 });
    await pool.close();
    const error = await rejection(
      pool.ingestWav({ wavPath: join(dir, 'honest.wav'), outBase: join(dir, 'x') }),
    );
    expect(error).toMatchObject({ code: 'internal', message: 'decoder pool closed' });
  });
});

describe('decode amplification', () => {
  it('bounds a result by its announced duration and by the longest plausible take', () => {
    expect(maxDecodeSeconds(10)).toBe(30);
    expect(maxDecodeSeconds(187.36)).toBeCloseTo(296.04);
    expect(maxDecodeSeconds(3600)).toBe(MAX_TAKE_SECONDS);
    expect(maxDecodeSeconds(null)).toBe(MAX_TAKE_SECONDS);
    expect(maxDecodeSeconds(0)).toBe(MAX_TAKE_SECONDS);
  });

  it('refuses an MP3 that decodes past its limit and keeps no cache', async () => {
    const mp3Path = await writeToneMp3(join(dir, 'bomb.mp3'), { seconds: 12, kbps: 32 });
    const error = await rejection(ingestor.ingest({ mp3Path, outBase: join(dir, 'bomb'), maxSeconds: 4 }));
    expect(error.code).toBe('too_long');
    expect(error.message).toMatch(/longer than 4 s/);
    expect(leftovers('bomb')).toEqual(['bomb.mp3']);
  });

  it.skipIf(!canMountSmallDisk)(
    'stops decoding the moment the limit is crossed: the cache never outgrows the limit',
    async () => {
      // Room for the reserve plus 2 MiB: the 5 s limit (1.4 MB of 48 kHz stereo cache) fits, the
      // file's 70 s (20 MB) do not, so only a decoder that stops at the limit says too_long rather
      // than running into a full disk. The 70 s are one 5 s encode repeated (MP3 frames concatenate).
      const disk = mountSmallDisk(DISK_RESERVE_BYTES / 1024 / 1024 + 2);
      if ('skipReason' in disk) throw new Error(disk.skipReason);
      try {
        const clip = encodeToneMp3({ seconds: 5, sampleRate: 48000, kbps: 128 });
        const mp3Path = join(dir, 'minute.mp3');
        await writeFile(mp3Path, Buffer.concat(Array.from({ length: 14 }, () => clip)));
        const outBase = join(disk.dir, 'minute');
        const error = await rejection(ingestor.ingest({ mp3Path, outBase, maxSeconds: 5 }));
        expect(error.code).toBe('too_long');
        expect(readdirSync(disk.dir)).toEqual([]);
      } finally {
        disk.unmount();
      }
    },
  );
});

describe.skipIf(!canMountSmallDisk)('free disk space is checked before a cache is written', () => {
  it('refuses the PCM cache on a full disk with a plain "disk full" message', async () => {
    const disk = mountSmallDisk(DISK_RESERVE_BYTES / 1024 / 1024 + 1);
    if ('skipReason' in disk) throw new Error(disk.skipReason);
    try {
      const mp3Path = await writeToneMp3(join(dir, 'fits-not.mp3'), { seconds: 10, channels: 1, kbps: 64 });
      const error = await rejection(ingestor.ingest({ mp3Path, outBase: join(disk.dir, 'fits-not') }));
      expect(error.code).toBe('disk_full');
      expect(error.message).toMatch(/^Disk full: the playback cache needs 2 MB but only \d+ MB are free/);
      expect(readdirSync(disk.dir)).toEqual([]);
    } finally {
      disk.unmount();
    }
  });

  it.skipIf(!hasFlacTools())(
    'refuses a FLAC source that cannot fit: up front from its header, or when the disk fills mid-decode',
    async () => {
      const disk = mountSmallDisk(DISK_RESERVE_BYTES / 1024 / 1024 + 1);
      if ('skipReason' in disk) throw new Error(disk.skipReason);
      try {
        // Two minutes of stereo silence: a few KB of FLAC, 35 MB of cache.
        const made = encodeWithFfmpeg(
          join(dir, 'silence.flac'),
          { kind: 'silence', frames: 48000 * 120, channels: 2, bits: 16, sampleRate: 48000 },
          [],
        );
        const announced = await rejection(
          ingestor.ingestSource({ path: made.path, outBase: join(disk.dir, 'announced') }),
        );
        expect(announced.code).toBe('disk_full');
        expect(announced.message).toMatch(/^Disk full: the playback cache needs 35 MB/);
        // A FLAC written to a pipe does not know its length (STREAMINFO total 0): the estimate up
        // front is too small, so the disk fills while it decodes; that too ends as disk_full.
        const unknown = Buffer.from(readFileSync(made.path));
        unknown.writeUInt8(unknown.readUInt8(21) & 0xf0, 21);
        unknown.writeUInt32BE(0, 22);
        const unknownPath = join(dir, 'silence-unknown.flac');
        await writeFile(unknownPath, unknown);
        const midway = await rejection(
          ingestor.ingestSource({ path: unknownPath, outBase: join(disk.dir, 'unknown') }),
        );
        expect(midway.code).toBe('disk_full');
        expect(readdirSync(disk.dir)).toEqual([]);
      } finally {
        disk.unmount();
      }
    },
  );

  it('refuses an export or drag file that cannot fit before writing a byte', async () => {
    const disk = mountSmallDisk(DISK_RESERVE_BYTES / 1024 / 1024 + 1);
    if ('skipReason' in disk) throw new Error(disk.skipReason);
    try {
      const path = join(disk.dir, 'Song_Vocals.wav');
      const spec = { sampleFormat: 'pcm24' as const, sampleRate: 48000, channels: 2 };
      const error = await createWavWriter(path, spec, { frames: 48000 * 60 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExportError);
      expect(error).toMatchObject({ code: 'disk_full' });
      expect((error as Error).message).toMatch(/^Disk full: Song_Vocals\.wav needs 18 MB/);
      expect(existsSync(`${path}.part`)).toBe(false);
    } finally {
      disk.unmount();
    }
  });
});
