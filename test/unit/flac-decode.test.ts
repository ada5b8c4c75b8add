// The FLAC decoder against ffmpeg: files ffmpeg and sox encode from generated signals, in every mode
// their encoders can be pushed into, must land in the PCM cache bit for bit as ffmpeg decodes them
// (and as the signal that went in: FLAC is lossless), with the peaks and levels the WAV path makes.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFlacFile } from '../../electron/core/audio/flac/ingest-flac.ts';
import type { FrameSummary } from '../../electron/core/audio/flac/frame.ts';
import { ingestWavFile } from '../../electron/core/audio/wav-reader.ts';
import {
  encodeWithFfmpeg,
  encodeWithSox,
  FFMPEG,
  ffmpegS24,
  hasFlacTools,
  probe,
  SOX,
  toS24le,
  type FlacMake,
  type SignalOptions,
} from '../helpers/flac-oracle.ts';

const hasTools = hasFlacTools();
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-flac-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Everything the decoder reported over all files: which modes the encoders really used. */
const seen = {
  assignments: new Set<string>(),
  subframes: new Set<string>(),
  fixedOrders: new Set<number>(),
  lpcOrders: new Set<number>(),
  coding: new Set<string>(),
  wasted: 0,
  blockSizes: new Set<number>(),
};

function record(summary: FrameSummary): void {
  seen.assignments.add(summary.assignment);
  seen.blockSizes.add(summary.blockSize);
  for (const sub of summary.subframes) {
    seen.subframes.add(sub.kind);
    if (sub.kind === 'fixed') seen.fixedOrders.add(sub.order);
    if (sub.kind === 'lpc') seen.lpcOrders.add(sub.order);
    if (sub.wastedBits > 0) seen.wasted++;
    for (const coding of sub.codings) seen.coding.add(coding);
  }
}

let count = 0;
async function decodeAndCompare(made: FlacMake): Promise<FrameSummary[]> {
  const probed = probe(made.path);
  // ffmpeg encoded what the test asked for: this depth, rate and channel count, every frame.
  expect(probed).toMatchObject({
    codec: 'flac',
    sampleRate: made.sampleRate,
    channels: made.channels,
    bits: made.bits,
    frames: made.samples.length / made.channels,
  });
  const frames: FrameSummary[] = [];
  const result = await ingestFlacFile({ flacPath: made.path, outBase: join(dir, `out-${count++}`) }, (s) => {
    frames.push(s);
    record(s);
  });
  expect(result).toMatchObject({
    sampleRate: made.sampleRate,
    channels: made.channels,
    sampleCount: made.samples.length / made.channels,
  });
  const cache = await readFile(result.pcmPath);
  expect(cache.equals(ffmpegS24(made.path))).toBe(true);
  expect(cache.equals(toS24le(made.samples, made.bits))).toBe(true);
  return frames;
}

function signal(kind: SignalOptions['kind'], extra: Partial<SignalOptions & { sampleRate: number }> = {}) {
  return { kind, frames: 44100, channels: 2, bits: 16 as const, sampleRate: 44100, ...extra };
}

describe.skipIf(!hasTools)('FLAC decode, bit-exact against ffmpeg', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('compression level %i', async (level) => {
    const made = encodeWithFfmpeg(join(dir, `level-${level}.flac`), signal('panned', { frames: 30_001 }), [
      '-compression_level',
      String(level),
    ]);
    await decodeAndCompare(made);
  });

  it.each([
    ['indep', 'independent'],
    ['left_side', 'left-side'],
    ['right_side', 'right-side'],
    ['mid_side', 'mid-side'],
  ])('stereo mode %s on a hard-panned signal', async (mode, assignment) => {
    const made = encodeWithFfmpeg(join(dir, `ch-${mode}.flac`), signal('panned'), ['-ch_mode', mode]);
    const frames = await decodeAndCompare(made);
    expect(frames.every((f) => f.assignment === assignment)).toBe(true);
  });

  it.each(['none', 'fixed', 'levinson', 'cholesky'])('lpc_type %s', async (lpc) => {
    const made = encodeWithFfmpeg(join(dir, `lpc-${lpc}.flac`), signal('sine', { frames: 20_000 }), [
      '-lpc_type',
      lpc,
    ]);
    await decodeAndCompare(made);
  });

  it('every FIXED order 0-4 and LPC order 32', async () => {
    for (let order = 0; order <= 4; order++) {
      const made = encodeWithFfmpeg(join(dir, `fixed-${order}.flac`), signal('sine', { frames: 9000 }), [
        '-lpc_type',
        'fixed',
        '-min_prediction_order',
        String(order),
        '-max_prediction_order',
        String(order),
      ]);
      await decodeAndCompare(made);
    }
    const made = encodeWithFfmpeg(join(dir, 'lpc-32.flac'), signal('noise', { frames: 20_000 }), [
      '-lpc_type',
      'cholesky',
      '-min_prediction_order',
      '32',
      '-max_prediction_order',
      '32',
    ]);
    const frames = await decodeAndCompare(made);
    expect(frames.some((f) => f.subframes.some((s) => s.kind === 'lpc' && s.order === 32))).toBe(true);
  });

  it('24-bit stereo at 48 kHz and 24-bit mono (Rice2 partitions)', async () => {
    await decodeAndCompare(
      encodeWithFfmpeg(join(dir, 's24.flac'), signal('noise', { bits: 24, sampleRate: 48000 }), [
        '-compression_level',
        '8',
      ]),
    );
    await decodeAndCompare(
      encodeWithFfmpeg(join(dir, 's24m.flac'), signal('sine', { bits: 24, channels: 1 }), []),
    );
  });

  it('mono 48 kHz, silence (CONSTANT), full-scale noise (VERBATIM), low bits zero (wasted bits)', async () => {
    await decodeAndCompare(
      encodeWithFfmpeg(join(dir, 'mono48.flac'), signal('sine', { channels: 1, sampleRate: 48000 }), []),
    );
    const silent = await decodeAndCompare(encodeWithFfmpeg(join(dir, 'silence.flac'), signal('silence'), []));
    expect(silent.every((f) => f.subframes.every((s) => s.kind === 'constant'))).toBe(true);
    await decodeAndCompare(
      encodeWithFfmpeg(join(dir, 'noise0.flac'), signal('noise', { frames: 8192 }), [
        '-compression_level',
        '0',
      ]),
    );
    await decodeAndCompare(encodeWithFfmpeg(join(dir, 'coarse.flac'), signal('coarse'), []));
  });

  it('odd block sizes and sample rates that need explicit header fields', async () => {
    // 1000 and 192 frames: 16-bit and coded block sizes; 11025 and 22050 Hz, 96 kHz: rate codes.
    for (const [frameSize, rate] of [
      [1000, 11025],
      [192, 22050],
      [4608, 96000],
      [4096, 37800],
    ] as const) {
      await decodeAndCompare(
        encodeWithFfmpeg(
          join(dir, `bs-${frameSize}-${rate}.flac`),
          signal('sine', { frames: 13_337, sampleRate: rate }),
          ['-frame_size', String(frameSize)],
        ),
      );
    }
    expect(seen.blockSizes.has(1000) && seen.blockSizes.has(192) && seen.blockSizes.has(4608)).toBe(true);
  });

  it.each([
    [16, 2, 8],
    [24, 2, 5],
    [16, 1, 0],
  ] as const)('sox (libFLAC) %i-bit x%i at -C %i', async (bits, channels, level) => {
    await decodeAndCompare(
      encodeWithSox(
        join(dir, `sox-${bits}-${channels}.flac`),
        signal('panned', { bits, channels, frames: 50_000 }),
        level,
      ),
    );
  });

  it('six channels (a 5.1 bounce: channels decode independently, as the WAV path keeps them)', async () => {
    const made = encodeWithFfmpeg(
      join(dir, 'six.flac'),
      signal('panned', { channels: 6, frames: 20_000 }),
      [],
    );
    const frames = await decodeAndCompare(made);
    expect(frames.every((f) => f.subframes.length === 6 && f.assignment === 'independent')).toBe(true);
  });

  it('8-bit samples (sox; ffmpeg cannot write them), against ffmpeg decoding the same file', async () => {
    const path = join(dir, 's8.flac');
    const made = spawnSync(SOX, [
      '-n',
      '-r',
      '22050',
      '-c',
      '2',
      '-b',
      '8',
      path,
      'synth',
      '0.7',
      'sine',
      '440',
      'sine',
      '660',
    ]);
    expect(made.status).toBe(0);
    expect(probe(path)).toMatchObject({ bits: 8, channels: 2, sampleRate: 22050 });
    const result = await ingestFlacFile({ flacPath: path, outBase: join(dir, 's8') });
    expect(result.sampleCount).toBe(probe(path).frames);
    expect((await readFile(result.pcmPath)).equals(ffmpegS24(path))).toBe(true);
  });

  it('used every subframe type, stereo mode, both Rice codings and wasted bits across these files', () => {
    expect([...seen.assignments].sort()).toEqual(
      ['independent', 'left-side', 'mid-side', 'right-side'].sort(),
    );
    expect([...seen.subframes].sort()).toEqual(['constant', 'fixed', 'lpc', 'verbatim']);
    expect([...seen.fixedOrders].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(seen.lpcOrders.has(32)).toBe(true);
    expect(seen.coding.has('rice') && seen.coding.has('rice2')).toBe(true);
    expect(seen.wasted).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasTools)('FLAC behind an ID3v2 tag', () => {
  it('skips the tag (and the other metadata blocks ffmpeg writes) and decodes the same audio', async () => {
    const made = encodeWithFfmpeg(join(dir, 'tagged-src.flac'), signal('sine', { frames: 10_000 }), []);
    const tag = Buffer.alloc(10 + 2000);
    tag.write('ID3', 0, 'latin1');
    tag.writeUInt8(4, 3);
    tag.writeUInt8((2000 >> 7) & 0x7f, 8);
    tag.writeUInt8(2000 & 0x7f, 9);
    const taggedPath = join(dir, 'tagged.flac');
    await writeFile(taggedPath, Buffer.concat([tag, await readFile(made.path)]));
    const result = await ingestFlacFile({ flacPath: taggedPath, outBase: join(dir, 'tagged') });
    expect((await readFile(result.pcmPath)).equals(toS24le(made.samples, 16))).toBe(true);
  });
});

describe.skipIf(!hasTools)('FLAC outputs match the WAV path', () => {
  it('writes the same cache, peaks and levels as ingesting the same audio as a WAV', async () => {
    const made = encodeWithFfmpeg(
      join(dir, 'same.flac'),
      signal('panned', { frames: 100_003, bits: 24 }),
      [],
    );
    const wavPath = join(dir, 'same.wav');
    const toWav = spawnSync(FFMPEG, ['-v', 'error', '-y', '-i', made.path, '-c:a', 'pcm_s24le', wavPath]);
    expect(toWav.status).toBe(0);
    const flac = await ingestFlacFile({ flacPath: made.path, outBase: join(dir, 'same-flac') });
    const wav = await ingestWavFile({ wavPath, outBase: join(dir, 'same-wav') });
    const { pcmPath: _a, peaksPath: _b, ...flacFacts } = flac;
    const { pcmPath: _c, peaksPath: _d, ...wavFacts } = wav;
    expect(flacFacts).toEqual(wavFacts);
    expect((await readFile(flac.pcmPath)).equals(await readFile(wav.pcmPath))).toBe(true);
    expect((await readFile(flac.peaksPath)).equals(await readFile(wav.peaksPath))).toBe(true);
  });
});
