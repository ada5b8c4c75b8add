// The residual lane's arithmetic on real material: the simulator's stems and take (take = Σ stems
// before MP3 encoding), encoded with lamejs and decoded by the real worker ingest into PCM caches,
// then subtracted by the real residual job in a decode worker. Nothing is mocked.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIngestor,
  readPcmFrames,
  type Ingestor,
  type IngestResult,
} from '../../electron/core/audio/index.ts';
import { BYTES_PER_SAMPLE } from '../../electron/core/audio/pcm-cache.ts';
import type { PcmRef } from '../../electron/core/audio/residual/types.ts';
import { encodeMp3 } from '../../electron/core/simulator/mp3-encode.ts';
import { STEMS, type StemKey } from '../../electron/core/simulator/stems.ts';
import { renderPart } from '../../electron/core/simulator/synth-audio.ts';
import { encodeWav } from '../../electron/core/simulator/wav-encode.ts';
import { FFMPEG, hasFlacTools } from '../helpers/flac-oracle.ts';

const SECONDS = 6;
const SEED = 14;
let dir = '';
let ingestor: Ingestor;
let take: IngestResult;
let exactTake: IngestResult;
const stems = new Map<StemKey, IngestResult>();

const ref = (result: IngestResult): PcmRef => ({
  pcmPath: result.pcmPath,
  channels: result.channels,
  sampleRate: result.sampleRate,
  sampleCount: result.sampleCount,
});
const stemRefs = (keys: StemKey[]) => keys.map((key) => ({ id: key, ...ref(stems.get(key)!) }));
const allKeys = STEMS.map((stem) => stem.key);

async function mp3Part(part: StemKey | 'mix'): Promise<IngestResult> {
  const mp3Path = join(dir, `${part}.mp3`);
  await writeFile(mp3Path, await encodeMp3(await renderPart(SEED, part, SECONDS)));
  return ingestor.ingest({ mp3Path, outBase: join(dir, part) });
}

/** Pearson correlation of two PCM caches of the same shape, `offset` frames of b skipped. */
async function correlation(a: PcmRef, b: PcmRef, offset: number): Promise<number> {
  const frames = Math.min(a.sampleCount, b.sampleCount - offset);
  const x = await readPcmFrames(a.pcmPath, a.channels, 0, frames);
  const y = await readPcmFrames(b.pcmPath, b.channels, offset, frames);
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += x[i]! * y[i]!;
    xx += x[i]! * x[i]!;
    yy += y[i]! * y[i]!;
  }
  return xy / Math.sqrt(xx * yy);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-residual-'));
  ingestor = createIngestor({ workers: 2 });
  take = await mp3Part('mix');
  for (const key of allKeys) stems.set(key, await mp3Part(key));
  // The take before MP3 encoding (16-bit WAV, as KIE's conversion would be): the codec floor's reference.
  const wavPath = join(dir, 'mix.wav');
  await writeFile(wavPath, encodeWav(await renderPart(SEED, 'mix', SECONDS)));
  exactTake = await ingestor.ingestWav({ wavPath, outBase: join(dir, 'mix-exact') });
}, 180_000);

afterAll(async () => {
  await ingestor.close();
  await rm(dir, { recursive: true, force: true });
});

describe('residual (source − all stems)', () => {
  it('an exact split leaves only the codec noise floor, measured on the same take', async () => {
    // The floor: the decoded take against the same take before encoding, through the same job.
    const floor = await ingestor.residual({
      source: ref(take),
      stems: [{ id: 'take-before-mp3', ...ref(exactTake) }],
      outBase: join(dir, 'floor'),
    });
    const residual = await ingestor.residual({
      source: ref(take),
      stems: stemRefs(allKeys),
      outBase: join(dir, 'exact'),
    });
    console.log(
      `codec floor ${floor.levelDb.toFixed(1)} dB, exact-split residual ${residual.levelDb.toFixed(1)} dB, ` +
        `offset ${residual.offsetFrames} frames, ${residual.computeMs} ms`,
    );
    expect(floor.offsetFrames).toBe(0);
    expect(residual.offsetFrames).toBe(0);
    // The encoder's lowpass is linear (it cancels across stems), so what is left is at most the floor.
    expect(residual.levelDb).toBeLessThan(floor.levelDb + 3);
    expect(residual.levelDb).toBeLessThan(-20);
    expect(residual.sampleCount).toBe(stems.get('vocals')!.sampleCount);
    expect(residual.leaks.map((leak) => leak.id)).toEqual(allKeys);
    for (const leak of residual.leaks) expect(Math.abs(leak.correlation)).toBeLessThan(0.5);
  });

  it('a split with one stem withheld leaves a residual that is that stem', async () => {
    const residual = await ingestor.residual({
      source: ref(take),
      stems: stemRefs(allKeys.filter((key) => key !== 'drums')),
      outBase: join(dir, 'no-drums'),
    });
    const drums = ref(stems.get('drums')!);
    const residualRef = { ...drums, pcmPath: residual.pcmPath };
    expect(await correlation(residualRef, drums, 0)).toBeGreaterThanOrEqual(0.9);
    expect(residual.levelDb).toBeGreaterThan(-20);
  });

  it('a shifted stem set is realigned to the sample', async () => {
    const shift = 137;
    const shifted = [];
    for (const key of allKeys) {
      const stem = stems.get(key)!;
      const pcm = await readPcmFrames(stem.pcmPath, stem.channels, 0, stem.sampleCount);
      const bytes = new Uint8Array((pcm.length + shift * stem.channels) * BYTES_PER_SAMPLE);
      for (let i = 0, o = shift * stem.channels * BYTES_PER_SAMPLE; i < pcm.length; i++, o += 3) {
        bytes[o] = pcm[i]! & 0xff;
        bytes[o + 1] = (pcm[i]! >> 8) & 0xff;
        bytes[o + 2] = (pcm[i]! >> 16) & 0xff;
      }
      const pcmPath = join(dir, `shifted-${key}.pcm`);
      await writeFile(pcmPath, bytes);
      shifted.push({ id: key, ...ref(stem), pcmPath, sampleCount: stem.sampleCount + shift });
    }
    const aligned = await ingestor.residual({
      source: ref(take),
      stems: shifted,
      outBase: join(dir, 'shifted'),
    });
    const unshifted = await ingestor.residual({
      source: ref(take),
      stems: stemRefs(allKeys),
      outBase: join(dir, 'unshifted'),
    });
    expect(aligned.offsetFrames).toBe(shift);
    // The residual lives on the stems' timeline: the same noise, `shift` frames later.
    expect(aligned.levelDb).toBeCloseTo(unshifted.levelDb, 0);
    expect(aligned.sampleCount).toBe(unshifted.sampleCount + shift);
  });

  it.skipIf(!hasFlacTools())('a FLAC source gives the residual its WAV gives, byte for byte', async () => {
    // The same 16-bit take as a FLAC upload (ffmpeg encodes; the app decodes it with its own decoder).
    const flacPath = join(dir, 'mix.flac');
    const encoded = spawnSync(FFMPEG, [
      '-v',
      'error',
      '-y',
      '-i',
      join(dir, 'mix.wav'),
      '-c:a',
      'flac',
      flacPath,
    ]);
    expect(encoded.status).toBe(0);
    const flacTake = await ingestor.ingestSource({ path: flacPath, outBase: join(dir, 'mix-flac') });
    expect(flacTake.sampleCount).toBe(exactTake.sampleCount);
    const fromWav = await ingestor.residual({
      source: ref(exactTake),
      stems: stemRefs(allKeys),
      outBase: join(dir, 'from-wav'),
    });
    const fromFlac = await ingestor.residual({
      source: ref(flacTake),
      stems: stemRefs(allKeys),
      outBase: join(dir, 'from-flac'),
    });
    const { pcmPath: _a, peaksPath: _b, computeMs: _c, cpuMs: _g, ...wavFacts } = fromWav;
    const { pcmPath: _d, peaksPath: _e, computeMs: _f, cpuMs: _h, ...flacFacts } = fromFlac;
    expect(flacFacts).toEqual(wavFacts);
    expect((await readFile(fromFlac.pcmPath)).equals(await readFile(fromWav.pcmPath))).toBe(true);
  });
});
