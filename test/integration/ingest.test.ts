// Ingest end to end: real worker threads decode lamejs-made MP3s into PCM caches and peaks files in a
// temp dir, checked against a one-shot mpg123 decode of the same file (and ffmpeg when installed).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MPEGDecoder } from 'mpg123-decoder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIngestor,
  IngestError,
  readPcmFrames,
  readPeaks,
  toWaveSurferPeaks,
} from '../../electron/core/audio/index.ts';
import type { Ingestor } from '../../electron/core/audio/index.ts';
import { findFirstFrame, headerAt } from '../../electron/core/audio/mpeg-header.ts';
import { dbToAmplitude, encodeToneMp3, writeToneMp3 } from '../helpers/tone-mp3.ts';
import type { ToneOptions } from '../helpers/tone-mp3.ts';

let dir = '';
let ingestor: Ingestor;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-ingest-'));
  ingestor = createIngestor({ workers: 2 });
});

afterAll(async () => {
  await ingestor.close();
  await rm(dir, { recursive: true, force: true });
});

async function make(name: string, options: ToneOptions): Promise<string> {
  return writeToneMp3(join(dir, `${name}.mp3`), options);
}

async function oneShot(
  path: string,
): Promise<{ samplesDecoded: number; sampleRate: number; channelData: Float32Array[] }> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    return decoder.decode(new Uint8Array(await readFile(path)));
  } finally {
    decoder.free();
  }
}

/** The documented quantisation, written out again here so the test does not trust the code under test. */
function s24(x: number): number {
  return Math.min(8388607, Math.max(-8388608, Math.round(Math.min(1, Math.max(-1, x)) * 8388608)));
}

async function outputsOf(base: string): Promise<string[]> {
  const prefix = `${base.split('/').pop() ?? ''}.`;
  return (await readdir(dir)).filter((name) => name.startsWith(prefix));
}

async function expectRejection(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).code).toBe(code);
}

describe('ingest of a 5 s stereo 44.1 kHz sine', () => {
  let mp3 = '';
  let result: Awaited<ReturnType<Ingestor['ingest']>>;

  beforeAll(async () => {
    mp3 = await make('sine', { seconds: 5, amplitude: 0.5 });
    result = await ingestor.ingest({ mp3Path: mp3, outBase: join(dir, 'sine') });
  });

  it('reports rate, channels and the exact sample count of a one-shot decode', async () => {
    const direct = await oneShot(mp3);
    expect(result.sampleRate).toBe(44100);
    expect(result.channels).toBe(2);
    // No LAME header from lamejs, so the decoder keeps encoder delay and padding: up to three frames.
    expect(result.sampleCount).toBeGreaterThanOrEqual(220500);
    expect(result.sampleCount).toBeLessThanOrEqual(220500 + 3 * 1152);
    expect(result.sampleCount).toBe(direct.samplesDecoded);
    expect(result.durationSec).toBeCloseTo(result.sampleCount / 44100, 9);
    expect((await stat(result.pcmPath)).size).toBe(result.sampleCount * 2 * 3);
    expect(await outputsOf(join(dir, 'sine'))).toEqual(['sine.mp3', 'sine.pcm', 'sine.peaks']);
  });

  it('caches PCM equal to the one-shot float decode quantised to 24 bits', async () => {
    const direct = await oneShot(mp3);
    const pcm = await readPcmFrames(result.pcmPath, 2, 0, result.sampleCount);
    expect(pcm.length).toBe(result.sampleCount * 2);
    let mismatches = 0;
    for (let f = 0; f < result.sampleCount; f++) {
      for (let c = 0; c < 2; c++) {
        if (pcm[f * 2 + c] !== s24(direct.channelData[c]?.[f] ?? NaN)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('stores peaks near the sine amplitude at every level, in both channels', async () => {
    const peaks = await readPeaks(result.peaksPath);
    expect(peaks).toMatchObject({ sampleRate: 44100, channels: 2, sampleCount: result.sampleCount });
    expect(peaks.levels.map((level) => level.samplesPerPeak)).toEqual([256, 1024, 4096, 16384]);
    for (const level of peaks.levels) {
      expect(level.peakCount).toBe(Math.ceil(result.sampleCount / level.samplesPerPeak));
      const wave = toWaveSurferPeaks(level);
      expect(wave).toHaveLength(2);
      for (let c = 0; c < 2; c++) {
        const pairs = level.data[c] ?? new Int16Array(0);
        // Skip the encoder's delay at the start and its fade-out at the end.
        const from = Math.ceil(4096 / level.samplesPerPeak);
        for (let p = from; p < level.peakCount - from; p++) {
          expect((pairs[2 * p] ?? 0) / 32768).toBeCloseTo(-0.5, 1);
          expect((pairs[2 * p + 1] ?? 0) / 32768).toBeCloseTo(0.5, 1);
          expect(Math.abs(wave[c]?.[p] ?? 0)).toBeCloseTo(0.5, 1);
        }
      }
    }
  });

  it('measures peak and RMS level of the decoded signal', async () => {
    const direct = await oneShot(mp3);
    let peak = 0;
    let sumSquares = 0;
    for (const channel of direct.channelData) {
      for (const x of channel) {
        const v = s24(x) / 8388608;
        peak = Math.max(peak, Math.abs(v));
        sumSquares += v * v;
      }
    }
    expect(result.peakDb).toBeCloseTo(20 * Math.log10(peak), 6);
    expect(result.rmsDb).toBeCloseTo(10 * Math.log10(sumSquares / (2 * result.sampleCount)), 6);
    // A 0.5 sine has an RMS of 0.5 / sqrt(2), about -9 dBFS.
    expect(result.rmsDb).toBeCloseTo(-9.03, 0);
    expect(result.isNearSilent).toBe(false);
  });
});

describe('formats and levels', () => {
  it('ingests a mono file as one channel', async () => {
    const mp3 = await make('mono', { channels: 1, seconds: 2 });
    const result = await ingestor.ingest({ mp3Path: mp3, outBase: join(dir, 'mono') });
    const direct = await oneShot(mp3);
    expect(result.channels).toBe(1);
    expect(result.sampleCount).toBe(direct.samplesDecoded);
    expect((await stat(result.pcmPath)).size).toBe(result.sampleCount * 3);
    const pcm = await readPcmFrames(result.pcmPath, 1, 1000, 500);
    expect(Array.from(pcm)).toEqual(Array.from(direct.channelData[0]?.subarray(1000, 1500) ?? [], s24));
    expect((await readPeaks(result.peaksPath)).channels).toBe(1);
  });

  it('keeps a 48 kHz file at 48 kHz', async () => {
    const mp3 = await make('rate48', { sampleRate: 48000, seconds: 3 });
    const result = await ingestor.ingest({ mp3Path: mp3, outBase: join(dir, 'rate48') });
    expect(result.sampleRate).toBe(48000);
    expect(result.sampleCount).toBe((await oneShot(mp3)).samplesDecoded);
    expect(result.durationSec).toBeGreaterThanOrEqual(3);
    expect(result.durationSec).toBeLessThan(3.1);
  });

  it('flags silence and a -70 dBFS tone as near-silent, not a -6 dBFS noise', async () => {
    const silence = await make('silence', { kind: 'silence', seconds: 2 });
    const quiet = await make('quiet', { amplitude: dbToAmplitude(-70), seconds: 2 });
    const loud = await make('loud', { kind: 'noise', amplitude: dbToAmplitude(-6), seconds: 2 });
    const [s, q, l] = await Promise.all(
      [silence, quiet, loud].map((mp3Path, i) =>
        ingestor.ingest({ mp3Path, outBase: join(dir, `level${i}`) }),
      ),
    );
    expect(s?.isNearSilent).toBe(true);
    expect(s?.peakDb).toBeLessThan(-90);
    expect(q?.isNearSilent).toBe(true);
    expect(q?.peakDb).toBeGreaterThan(-75);
    expect(q?.peakDb).toBeLessThan(-65);
    expect(l?.isNearSilent).toBe(false);
    expect(l?.peakDb).toBeGreaterThan(-8);
    expect(l?.rmsDb).toBeGreaterThan(-20);
  });
});

describe('bad input', () => {
  it('rejects a truncated MP3 as truncated and leaves no output', async () => {
    const bytes = encodeToneMp3({ seconds: 2 });
    const mp3 = join(dir, 'cut.mp3');
    await writeFile(mp3, bytes.subarray(0, Math.floor(bytes.length * 0.6) + 101));
    await expectRejection(ingestor.ingest({ mp3Path: mp3, outBase: join(dir, 'cut') }), 'truncated');
    expect(await outputsOf(join(dir, 'cut'))).toEqual(['cut.mp3']);
  });

  it('rejects a text file and an empty file as not_audio and a missing file as io', async () => {
    const text = join(dir, 'notes.mp3');
    await writeFile(text, 'These are not the frames you are looking for.\n'.repeat(200));
    const empty = join(dir, 'empty.mp3');
    await writeFile(empty, '');
    await expectRejection(ingestor.ingest({ mp3Path: text, outBase: join(dir, 'notes') }), 'not_audio');
    await expectRejection(ingestor.ingest({ mp3Path: empty, outBase: join(dir, 'empty') }), 'not_audio');
    await expectRejection(
      ingestor.ingest({ mp3Path: join(dir, 'absent.mp3'), outBase: join(dir, 'absent') }),
      'io',
    );
    expect(await outputsOf(join(dir, 'notes'))).toEqual(['notes.mp3']);
    expect(await outputsOf(join(dir, 'empty'))).toEqual(['empty.mp3']);
    expect(await outputsOf(join(dir, 'absent'))).toEqual([]);
  });
});

describe('pool behaviour', () => {
  it('runs 6 files through a 2-worker pool, each result matching its own file', async () => {
    const pool = createIngestor({ workers: 2 });
    try {
      const seconds = [1, 1.5, 2, 2.5, 3, 3.5];
      const files = await Promise.all(
        seconds.map((s, i) => make(`many${i}`, { seconds: s, frequency: 220 + i * 50 })),
      );
      const results = await Promise.all(
        files.map((mp3Path, i) => pool.ingest({ mp3Path, outBase: join(dir, `many${i}`) })),
      );
      for (const [i, result] of results.entries()) {
        expect(result.sampleCount).toBe((await oneShot(files[i] ?? '')).samplesDecoded);
        expect(result.durationSec).toBeGreaterThanOrEqual(seconds[i] ?? 0);
        expect(result.durationSec).toBeLessThan((seconds[i] ?? 0) + 0.1);
      }
    } finally {
      await pool.close();
    }
  });

  it('keeps decoding correctly after corrupt files on the same single worker', async () => {
    const pool = createIngestor({ workers: 1 });
    try {
      const good = await make('after', { seconds: 1 });
      const garbage = join(dir, 'garbage.mp3');
      await writeFile(
        garbage,
        Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff)),
      );
      const damaged = Buffer.from(encodeToneMp3({ seconds: 2 }));
      damaged.fill(0xff, 8000, 12000);
      const damagedPath = join(dir, 'damaged.mp3');
      await writeFile(damagedPath, damaged);
      await expect(pool.ingest({ mp3Path: garbage, outBase: join(dir, 'garbage') })).rejects.toBeInstanceOf(
        IngestError,
      );
      await pool.ingest({ mp3Path: damagedPath, outBase: join(dir, 'damaged') }).catch((e: unknown) => {
        expect(e).toBeInstanceOf(IngestError);
      });
      const result = await pool.ingest({ mp3Path: good, outBase: join(dir, 'after') });
      expect(result.sampleCount).toBe((await oneShot(good)).samplesDecoded);
    } finally {
      await pool.close();
    }
  });

  it('rejects ingests after close with code internal', async () => {
    const pool = createIngestor({ workers: 1 });
    await pool.close();
    await expectRejection(
      pool.ingest({ mp3Path: join(dir, 'sine.mp3'), outBase: join(dir, 'closed') }),
      'internal',
    );
  });
});

describe('a decode worker that cannot start', () => {
  it('decodes in the main process instead, every track, and logs the reason once', async () => {
    const lines: string[] = [];
    const missingWorker = new URL('./no-such-decode-worker.js', import.meta.url);
    const fallback = createIngestor({
      workers: 2,
      workerUrl: missingWorker,
      log: (line) => lines.push(line),
    });
    const reference = createIngestor({ workers: 1 });
    try {
      const files = await Promise.all(
        [0, 1, 2].map((seed) => make(`fallback-${seed}`, { kind: 'noise', seconds: 1, seed: seed + 1 })),
      );
      const results = await Promise.all(
        files.map((mp3Path, i) => fallback.ingest({ mp3Path, outBase: join(dir, `fallback-out-${i}`) })),
      );
      const expected = await reference.ingest({
        mp3Path: files[1] ?? '',
        outBase: join(dir, 'fallback-ref'),
      });
      expect(results.map((r) => r.sampleCount)).toEqual(
        await Promise.all(files.map(async (f) => (await oneShot(f)).samplesDecoded)),
      );
      expect(await readFile(results[1]?.pcmPath ?? '')).toEqual(await readFile(expected.pcmPath));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /decode workers cannot start.*no-such-decode-worker.*decoding in the main process/,
      );
    } finally {
      await Promise.all([fallback.close(), reference.close()]);
    }
  });
});

describe('ffmpeg as an oracle', () => {
  it('decodes the same number of frames as ffmpeg, give or take encoder delay', async (context) => {
    if (!existsSync('/usr/bin/ffmpeg')) {
      console.log('ffmpeg oracle skipped: /usr/bin/ffmpeg is not installed');
      context.skip();
      return;
    }
    for (const options of [{ channels: 2 }, { channels: 1 }, { sampleRate: 48000 }] as const) {
      const name = `oracle-${options.channels ?? 2}-${'sampleRate' in options ? options.sampleRate : 44100}`;
      const mp3 = await make(name, { seconds: 3, ...options });
      const result = await ingestor.ingest({ mp3Path: mp3, outBase: join(dir, name) });
      const ffmpeg = spawnSync('/usr/bin/ffmpeg', ['-v', 'error', '-i', mp3, '-f', 's16le', '-'], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(ffmpeg.status).toBe(0);
      const ffmpegFrames = ffmpeg.stdout.length / 2 / result.channels;
      const difference = result.sampleCount - ffmpegFrames;
      console.log(
        `${name}: ours ${result.sampleCount} frames, ffmpeg ${ffmpegFrames}, difference ${difference}`,
      );
      // mpg123 and ffmpeg may disagree by the encoder delay (576 + 529) when there is no LAME header.
      expect(Math.abs(difference)).toBeLessThanOrEqual(1105);
    }
  });

  it('trims encoder delay exactly with a LAME header and catches a cut at a frame boundary', async (context) => {
    if (!existsSync('/usr/bin/ffmpeg')) {
      console.log('LAME-header check skipped: /usr/bin/ffmpeg is not installed');
      context.skip();
      return;
    }
    const mp3 = join(dir, 'lame.mp3');
    const made = spawnSync('/usr/bin/ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=2',
      '-ac',
      '2',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '192k',
      '-y',
      mp3,
    ]);
    expect(made.status).toBe(0);
    const result = await ingestor.ingest({ mp3Path: mp3, outBase: join(dir, 'lame') });
    expect(result.sampleCount).toBe(88200);

    const bytes = await readFile(mp3);
    const first = findFirstFrame(
      (position, length) => bytes.subarray(position, position + length),
      bytes.length,
    );
    const starts: number[] = [];
    for (let at = first?.offset ?? 0, header = headerAt(bytes, at); header; header = headerAt(bytes, at)) {
      starts.push(at);
      at += header.frameLength;
    }
    const cut = join(dir, 'lame-cut.mp3');
    await writeFile(cut, bytes.subarray(0, starts[starts.length - 10]));
    await expectRejection(ingestor.ingest({ mp3Path: cut, outBase: join(dir, 'lame-cut') }), 'truncated');
    expect(await outputsOf(join(dir, 'lame-cut'))).toEqual(['lame-cut.mp3']);
  });
});
