// The A/B source and the residual lane through the real core and the KIE simulator: a split of a
// generated take (the simulator's take is exactly the sum of its stems before MP3 encoding) and a
// split of an uploaded AIFF or FLAC, whose source is decoded once into the PCM cache the lanes play from.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPcmFrames } from '../../electron/core/audio/index.ts';
import { createLibraryResponder, storeAudioLookup } from '../../electron/core/host/library-files.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { readWavFile } from '../helpers/wav-reader.ts';
import { encodeWithFfmpeg, ffmpegS24, hasFlacTools } from '../helpers/flac-oracle.ts';

let live: LiveCore;

beforeAll(async () => {
  live = await startLiveCore({ audioDurationSec: 4, allowAudioUrlSeparation: true });
});

afterAll(async () => {
  await live.close();
});

/** A 16-bit big-endian AIFF (what Logic writes), with a known ramp of sample values. */
function aiffBytes(
  frames: number,
  sampleRate: number,
): { bytes: Buffer; valueAt: (f: number, c: number) => number } {
  const valueAt = (f: number, c: number) => ((f * 37 + c * 1000) % 20000) - 10000;
  const data = Buffer.alloc(frames * 4);
  for (let f = 0; f < frames; f++)
    for (let c = 0; c < 2; c++) data.writeInt16BE(valueAt(f, c), (f * 2 + c) * 2);
  const comm = Buffer.alloc(26);
  comm.write('COMM', 0, 'ascii');
  comm.writeUInt32BE(18, 4);
  comm.writeUInt16BE(2, 8);
  comm.writeUInt32BE(frames, 10);
  comm.writeUInt16BE(16, 14);
  // 80-bit extended: exponent 16383 + 15 and the rate's bits at the top of the mantissa (rate < 65536).
  comm.writeUInt16BE(16383 + 15, 16);
  comm.writeUInt32BE(sampleRate * 2 ** 16, 18);
  const ssnd = Buffer.alloc(16);
  ssnd.write('SSND', 0, 'ascii');
  ssnd.writeUInt32BE(8 + data.length, 4);
  const form = Buffer.alloc(12);
  form.write('FORM', 0, 'ascii');
  form.writeUInt32BE(4 + comm.length + ssnd.length + data.length, 4);
  form.write('AIFF', 8, 'ascii');
  return { bytes: Buffer.concat([form, comm, ssnd, data]), valueAt };
}

describe('residual of a split of a generated take', () => {
  it('is computed once from the PCM caches, sits at the codec floor, and plays and draws like a stem', async () => {
    const { core } = live;
    const take = await live.waitFor((await live.submitTake('residual take')).id, isSettled);
    const parentTake = take.tracks.find((t) => t.stem === 'take')!;
    const submitted = await core.handlers['tasks.submit']({
      kind: 'split_stem',
      from: { taskId: take.id, audioId: parentTake.audioId! },
    });
    const split = await live.waitFor(submitted.id, isSettled, 60_000);
    expect(split.tracks.filter((t) => t.state === 'ready')).toHaveLength(12);

    const residual = await core.handlers['tasks.residual']({ id: split.id });
    console.log(
      `simulator split residual ${residual.levelDb} dB, offset ${residual.offsetMs} ms, ${residual.computeMs} ms`,
    );
    expect(residual.trackId).toBe(`residual-${split.id}`);
    expect(residual.offsetFrames).toBe(0);
    expect(residual.levelDb).toBeLessThan(-15);
    expect(residual.leaks).toHaveLength(12);
    expect(residual.sampleCount).toBe(split.tracks[0]!.sampleCount);
    // The second call reads the stored result: the same measurement, not a new computation.
    expect(await core.handlers['tasks.residual']({ id: split.id })).toEqual(residual);

    const peaks = await core.handlers['tracks.peaks']({ trackId: residual.trackId, pixels: 500 });
    expect(peaks.sampleCount).toBe(residual.sampleCount);
    const respond = createLibraryResponder({
      libraryDir: core.libraryDir,
      lookup: storeAudioLookup(() => core.store),
    });
    const pcm16 = await respond({ method: 'HEAD', pathname: `/tracks/${residual.trackId}/pcm16` });
    expect(pcm16.status).toBe(200);
    expect(Number(pcm16.headers['content-length'])).toBe(residual.sampleCount * residual.channels * 2);

    // The A/B source of a take split is the take itself.
    const source = await core.handlers['tasks.source']({ id: split.id });
    expect(source.trackId).toBe(parentTake.id);

    // Exported when asked, like a stem: same length and format, the cache's bytes behind a header.
    const exported = await core.handlers['export.run']({
      taskId: split.id,
      outDir: join(live.dataDir, 'export'),
      includeResidual: true,
    });
    const file = exported.files.find((f) => f.kind === 'residual')!;
    expect(file.name).toMatch(/_Residual\.wav$/);
    const stem = exported.files.find((f) => f.kind === 'stem')!;
    const wav = await readWavFile(file.path);
    expect(wav.frames).toBe(stem.sampleCount);
    const cached = await readPcmFrames(join(core.libraryDir, split.id, 'residual.pcm'), 2, 0, wav.frames);
    expect(Buffer.from(Int32Array.from(wav.samples).buffer).equals(Buffer.from(cached.buffer))).toBe(true);
    const plain = await core.handlers['export.plan']({
      taskId: split.id,
      outDir: join(live.dataDir, 'export2'),
    });
    expect(plain.files.some((f) => f.kind === 'residual')).toBe(false);
  }, 120_000);
});

describe('source of a split of an uploaded file', () => {
  it('decodes an AIFF once into the PCM cache and serves it as a track', async () => {
    const { core, dataDir } = live;
    const path = join(dataDir, 'upload.aiff');
    const { bytes, valueAt } = aiffBytes(44100 * 2, 44100);
    await writeFile(path, bytes);
    const split = await core.handlers['tasks.submit']({ kind: 'split_stem', source: { path } });
    const source = await core.handlers['tasks.source']({ id: split.id });
    expect(source).toMatchObject({
      trackId: `source-${split.id}`,
      sampleRate: 44100,
      channels: 2,
      sampleCount: 88200,
    });
    const pcm = await readPcmFrames(join(core.libraryDir, split.id, 'source.pcm'), 2, 1000, 1);
    expect([...pcm]).toEqual([valueAt(1000, 0) * 256, valueAt(1000, 1) * 256]);
    const peaks = await core.handlers['tracks.peaks']({ trackId: source.trackId, pixels: 100 });
    expect(peaks.sampleCount).toBe(88200);
  });

  it.skipIf(!hasFlacTools())(
    'decodes a FLAC once into the PCM cache, bit-exact, and serves it as a track',
    async () => {
      const { core, dataDir } = live;
      const made = encodeWithFfmpeg(
        join(dataDir, 'upload.flac'),
        { kind: 'panned', frames: 48000 * 2 + 17, channels: 2, bits: 24, sampleRate: 48000 },
        ['-compression_level', '8'],
      );
      const split = await core.handlers['tasks.submit']({ kind: 'split_stem', source: { path: made.path } });
      const source = await core.handlers['tasks.source']({ id: split.id });
      expect(source).toMatchObject({
        trackId: `source-${split.id}`,
        sampleRate: 48000,
        channels: 2,
        sampleCount: 96017,
      });
      const cache = await readFile(join(core.libraryDir, split.id, 'source.pcm'));
      expect(cache.equals(ffmpegS24(made.path))).toBe(true);
      const peaks = await core.handlers['tracks.peaks']({ trackId: source.trackId, pixels: 100 });
      expect(peaks.sampleCount).toBe(96017);
    },
  );

  it.skipIf(!hasFlacTools())('says plainly that a damaged FLAC source cannot be used', async () => {
    const { core, dataDir } = live;
    const made = encodeWithFfmpeg(
      join(dataDir, 'damaged.flac'),
      { kind: 'sine', frames: 44100, channels: 2, bits: 16, sampleRate: 44100 },
      [],
    );
    const bytes = await readFile(made.path);
    await writeFile(made.path, bytes.subarray(0, bytes.length - 1000));
    const split = await core.handlers['tasks.submit']({ kind: 'split_stem', source: { path: made.path } });
    await expect(core.handlers['tasks.source']({ id: split.id })).rejects.toThrow(/FLAC file ends/);
  });

  it('says plainly that an M4A source needs a conversion', async () => {
    const { core, dataDir } = live;
    const path = join(dataDir, 'upload.m4a');
    // The first bytes of an MPEG-4 audio file: enough for sniffing, which is all this refusal needs.
    await writeFile(
      path,
      Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.alloc(4096)]),
    );
    const split = await core.handlers['tasks.submit']({ kind: 'split_stem', source: { path } });
    await expect(core.handlers['tasks.source']({ id: split.id })).rejects.toThrow(/M4A.*converted to WAV/);
  });
});
