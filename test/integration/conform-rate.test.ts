// A source recorded at another rate than its stems: resampled once into its own PCM cache by the
// real decode worker, so the A/B lane plays at the session's rate and the residual can subtract.
// sox makes the 48 kHz bounce (an independent resampler); nothing is mocked.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIngestor,
  readPcmFrames,
  readPeaks,
  type Ingestor,
  type IngestResult,
} from '../../electron/core/audio/index.ts';
import { encodeS24le, S24_SCALE } from '../../electron/core/audio/pcm-cache.ts';
import type { PcmRef } from '../../electron/core/audio/residual/types.ts';
import { resampledLength } from '../../electron/core/export/resampler.ts';
import { createLibraryResponder, storeAudioLookup } from '../../electron/core/host/library-files.ts';
import { STEMS } from '../../electron/core/simulator/stems.ts';
import { renderPart } from '../../electron/core/simulator/synth-audio.ts';
import { encodeWav } from '../../electron/core/simulator/wav-encode.ts';
import { isSettled, startLiveCore } from '../helpers/live-core.ts';

const SOX = '/usr/bin/sox';
let dir = '';
let ingestor: Ingestor;

const ref = (r: IngestResult): PcmRef => ({
  pcmPath: r.pcmPath,
  channels: r.channels,
  sampleRate: r.sampleRate,
  sampleCount: r.sampleCount,
});

/** A stereo s24le cache of two sines (left f, right 2f) at `rate`. */
async function sineCache(name: string, rate: number, frames: number, freq: number): Promise<PcmRef> {
  const samples = new Int32Array(frames * 2);
  for (let f = 0; f < frames; f++)
    for (let c = 0; c < 2; c++)
      samples[2 * f + c] = Math.round(0.5 * S24_SCALE * Math.sin((2 * Math.PI * freq * (c + 1) * f) / rate));
  const bytes = new Uint8Array(samples.length * 3);
  encodeS24le(samples, samples.length, bytes);
  const pcmPath = join(dir, `${name}.pcm`);
  await writeFile(pcmPath, bytes);
  return { pcmPath, channels: 2, sampleRate: rate, sampleCount: frames };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-conform-'));
  ingestor = createIngestor({ workers: 1 });
});

afterAll(async () => {
  await ingestor.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a source conformed to its stems’ rate', () => {
  it.each([
    [48000, 44100],
    [44100, 48000],
  ])(
    '%i Hz to %i Hz: exact length, the same sines within -80 dB, peaks at the new rate',
    async (from, to) => {
      const frames = from * 2 + 123;
      const source = await sineCache(`sine-${from}`, from, frames, 1000);
      const out = await ingestor.conformRate({
        source,
        sampleRate: to,
        outBase: join(dir, `conformed-${to}`),
      });
      expect(out.sampleRate).toBe(to);
      expect(out.sampleCount).toBe(resampledLength(frames, from, to));
      const peaks = await readPeaks(out.peaksPath);
      expect(peaks).toMatchObject({ sampleRate: to, channels: 2, sampleCount: out.sampleCount });
      // Away from the edges (the filter's half-length), every sample is the analytic sine at the new rate.
      const samples = await readPcmFrames(out.pcmPath, 2, 1000, out.sampleCount - 2000);
      let error = 0;
      let power = 0;
      for (let f = 0; f < samples.length / 2; f++)
        for (let c = 0; c < 2; c++) {
          const ideal = 0.5 * S24_SCALE * Math.sin((2 * Math.PI * 1000 * (c + 1) * (f + 1000)) / to);
          error += (samples[2 * f + c]! - ideal) ** 2;
          power += ideal ** 2;
        }
      expect(10 * Math.log10(error / power)).toBeLessThan(-80);
      // The sine starts abruptly, so the filter rings a little over its 0.5 peak there, never under it.
      expect(out.peakDb).toBeGreaterThan(20 * Math.log10(0.5) - 0.1);
      expect(out.peakDb).toBeLessThan(20 * Math.log10(0.5) + 1.5);
    },
  );

  it('refuses a cache that ends before its announced length, and leaves no partial output', async () => {
    const source = await sineCache('short', 48000, 48000, 440);
    await truncate(source.pcmPath, 3 * 2 * 1000);
    const outBase = join(dir, 'short-out');
    await expect(ingestor.conformRate({ source, sampleRate: 44100, outBase })).rejects.toThrow(
      /shorter than its peaks say/,
    );
    expect(readdirSync(dir).filter((name) => name.startsWith('short-out'))).toEqual([]);
  });

  it.skipIf(!existsSync(SOX))(
    'a 48 kHz bounce of a song, conformed, minus its 44.1 kHz stems leaves no more than sox’s own round trip',
    async () => {
      const seconds = 4;
      const seed = 21;
      const song = join(dir, 'song-44k.wav');
      await writeFile(song, encodeWav(await renderPart(seed, 'mix', seconds)));
      const bounce = join(dir, 'song-48k.wav');
      const sox = spawnSync(SOX, [song, '-b', '24', bounce, 'rate', '-v', '48000'], { encoding: 'utf8' });
      expect(sox.status, sox.stderr).toBe(0);
      const decoded = await ingestor.ingestWav({ wavPath: bounce, outBase: join(dir, 'bounce') });
      expect(decoded.sampleRate).toBe(48000);
      const stems = [];
      for (const stem of STEMS) {
        const wavPath = join(dir, `${stem.key}.wav`);
        await writeFile(wavPath, encodeWav(await renderPart(seed, stem.key, seconds)));
        stems.push({
          id: stem.key,
          ...ref(await ingestor.ingestWav({ wavPath, outBase: join(dir, stem.key) })),
        });
      }
      const conformed = await ingestor.conformRate({
        source: ref(decoded),
        sampleRate: 44100,
        outBase: join(dir, 'bounce-44k'),
      });
      const residual = await ingestor.residual({
        source: ref(conformed),
        stems,
        outBase: join(dir, 'residual'),
      });
      // The floor of any resampler here: the song's energy above ~20 kHz (the simulator's noise
      // percussion) does not survive 44.1 → 48 → 44.1 kHz. sox's own way back measures it.
      const back = join(dir, 'song-back.wav');
      const soxBack = spawnSync(SOX, [bounce, '-b', '24', back, 'rate', '-v', '44100'], { encoding: 'utf8' });
      expect(soxBack.status, soxBack.stderr).toBe(0);
      const soxWay = await ingestor.ingestWav({ wavPath: back, outBase: join(dir, 'sox-back') });
      const floor = await ingestor.residual({
        source: ref(soxWay),
        stems,
        outBase: join(dir, 'residual-sox'),
      });
      console.log(
        `48 kHz bounce conformed to 44.1 kHz, minus its stems: ${residual.levelDb.toFixed(1)} dB (sox's way back: ${floor.levelDb.toFixed(1)} dB), offset ${residual.offsetFrames} frames`,
      );
      expect(residual.offsetFrames).toBe(0);
      expect(residual.levelDb).toBeLessThan(-25);
      expect(residual.levelDb).toBeLessThan(floor.levelDb + 1);
      // Without conforming, the residual refuses plainly rather than subtracting at the wrong rate.
      await expect(
        ingestor.residual({ source: ref(decoded), stems, outBase: join(dir, 'residual-raw') }),
      ).rejects.toThrow(/48000 Hz and the stems at 44100 Hz/);
    },
    120_000,
  );
});

describe('the A/B source of a split of a 48 kHz upload, through the core and the simulator', () => {
  it.skipIf(!existsSync(SOX))(
    'is served at the stems’ rate once they are ready, and its residual is computed',
    async () => {
      const live = await startLiveCore({ audioDurationSec: 3, allowAudioUrlSeparation: true });
      try {
        const song = join(live.dataDir, 'upload-44k.wav');
        await writeFile(song, encodeWav(await renderPart(5, 'mix', 3)));
        const path = join(live.dataDir, 'upload-48k.wav');
        const sox = spawnSync(SOX, [song, path, 'rate', '-v', '48000'], { encoding: 'utf8' });
        expect(sox.status, sox.stderr).toBe(0);
        const submitted = await live.core.handlers['tasks.submit']({ kind: 'split_stem', source: { path } });
        // Before any stem: the source at its own rate.
        const early = await live.core.handlers['tasks.source']({ id: submitted.id });
        expect(early).toMatchObject({ trackId: `source-${submitted.id}`, sampleRate: 48000 });
        const split = await live.waitFor(submitted.id, isSettled, 60_000);
        const stemsRate = split.tracks[0]?.sampleRate;
        expect(stemsRate).toBe(44100);
        const source = await live.core.handlers['tasks.source']({ id: split.id });
        expect(source).toMatchObject({
          trackId: `conformed-${split.id}`,
          sampleRate: 44100,
          channels: early.channels,
          sampleCount: resampledLength(early.sampleCount, 48000, 44100),
        });
        const peaks = await live.core.handlers['tracks.peaks']({ trackId: source.trackId, pixels: 100 });
        expect(peaks.sampleRate).toBe(44100);
        // The studio streams it like any track.
        const respond = createLibraryResponder({
          libraryDir: live.core.libraryDir,
          lookup: storeAudioLookup(() => live.core.store),
        });
        const pcm16 = await respond({ method: 'HEAD', pathname: `/tracks/${source.trackId}/pcm16` });
        expect(pcm16.status).toBe(200);
        expect(Number(pcm16.headers['content-length'])).toBe(source.sampleCount * source.channels * 2);
        // Asked again, it reads the stored cache: the same answer.
        expect(await live.core.handlers['tasks.source']({ id: split.id })).toEqual(source);
        const residual = await live.core.handlers['tasks.residual']({ id: split.id });
        expect(residual.sampleRate).toBe(44100);
        expect(Number.isFinite(residual.levelDb)).toBe(true);

        // The file is bounced again, shorter, and its decoded cache is gone (caches may be deleted):
        // the source is decoded and conformed anew, and the residual follows it, never the old copy.
        const shorter = spawnSync(SOX, [song, path, 'trim', '0', '2', 'rate', '-v', '48000'], {
          encoding: 'utf8',
        });
        expect(shorter.status, shorter.stderr).toBe(0);
        await rm(join(live.core.libraryDir, split.id, 'source.pcm'));
        await rm(join(live.core.libraryDir, split.id, 'source.peaks'));
        const again = await live.core.handlers['tasks.source']({ id: split.id });
        expect(again.sampleCount).toBe(resampledLength(96000, 48000, 44100));
        const recomputed = await live.core.handlers['tasks.residual']({ id: split.id });
        expect(recomputed.levelDb).not.toBe(residual.levelDb);
      } finally {
        await live.close();
      }
    },
    120_000,
  );
});
