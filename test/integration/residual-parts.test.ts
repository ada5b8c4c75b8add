// The residual computed in parts by parallel decode workers must be the residual of one pass: the
// same PCM cache and peaks, byte for byte, and the same numbers. The oracle is the single-pass job as
// it was before parts (test/helpers/residual-single-pass.ts), run on the simulator's split (its twelve
// stems and the take they sum to, rendered as WAV and decoded by the real worker ingest) and on
// variants that reach the other paths: stems shifted and cut short, a mono source, a clipping
// residual. Nothing is mocked.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIngestor,
  readPcmFrames,
  type Ingestor,
  type IngestResult,
  type ResidualInput,
  type ResidualResult,
} from '../../electron/core/audio/index.ts';
import { CHUNK_FRAMES } from '../../electron/core/audio/residual/residual-part.ts';
import type { PcmRef } from '../../electron/core/audio/residual/types.ts';
import { STEMS, type StemKey } from '../../electron/core/simulator/stems.ts';
import { renderPart } from '../../electron/core/simulator/synth-audio.ts';
import { encodeWav } from '../../electron/core/simulator/wav-encode.ts';
import { computeResidualSinglePass } from '../helpers/residual-single-pass.ts';

const SECONDS = 6;
const SEED = 23;
/** The parts each ingestor cuts a residual into: 1 is one pass through the new steps. */
const PART_COUNTS = [1, 2, 3];
let dir = '';
let decoder: Ingestor;
const ingestors = new Map<number, Ingestor>();
let take: PcmRef;
const stems: (PcmRef & { id: StemKey })[] = [];

const ref = (result: IngestResult): PcmRef => ({
  pcmPath: result.pcmPath,
  channels: result.channels,
  sampleRate: result.sampleRate,
  sampleCount: result.sampleCount,
});

/** Writes s24le values (clamped to 24 bits) as a PCM cache; returns its ref. */
async function writeCache(name: string, values: Int32Array, channels: number, like: PcmRef): Promise<PcmRef> {
  const bytes = new Uint8Array(values.length * 3);
  for (let i = 0, o = 0; i < values.length; i++, o += 3) {
    const v = Math.max(-8388608, Math.min(8388607, values[i]!));
    bytes[o] = v & 0xff;
    bytes[o + 1] = (v >> 8) & 0xff;
    bytes[o + 2] = (v >> 16) & 0xff;
  }
  const pcmPath = join(dir, `${name}.pcm`);
  await writeFile(pcmPath, bytes);
  return { ...like, pcmPath, channels, sampleCount: values.length / channels };
}

const framesOf = (pcm: PcmRef) => readPcmFrames(pcm.pcmPath, pcm.channels, 0, pcm.sampleCount);

/** Everything a caller sees of a result except the paths and the timings. */
function measurements(result: ResidualResult) {
  const { pcmPath: _pcm, peaksPath: _peaks, computeMs: _wall, cpuMs: _cpu, ...rest } = result;
  return rest;
}

interface Compared {
  oracle: ResidualResult;
  parted: ResidualResult[];
}

/** Runs the oracle and every part count on one input; checks files and numbers against the oracle. */
async function compare(name: string, input: Omit<ResidualInput, 'outBase'>): Promise<Compared> {
  const oracle = computeResidualSinglePass({ ...input, outBase: join(dir, `${name}-oracle`) });
  const oraclePcm = await readFile(oracle.pcmPath);
  const oraclePeaks = await readFile(oracle.peaksPath);
  const parted = [];
  for (const parts of PART_COUNTS) {
    const result = await ingestors.get(parts)!.residual({ ...input, outBase: join(dir, `${name}-${parts}`) });
    expect((await readFile(result.pcmPath)).equals(oraclePcm), `${name}: PCM of ${parts} part(s)`).toBe(true);
    expect((await readFile(result.peaksPath)).equals(oraclePeaks), `${name}: peaks of ${parts} part(s)`).toBe(
      true,
    );
    const { leaks, ...numbers } = measurements(result);
    const { leaks: oracleLeaks, ...oracleNumbers } = measurements(oracle);
    // Offset, alignment, level (whole-chunk sums added in chunk order) and peak: to the last bit.
    expect(numbers, `${name}: ${parts} part(s)`).toEqual(oracleNumbers);
    // The leak meter's residual energy was one running sum; parts add it per chunk, so the rounding
    // differs in the last bits: a relative 1e-12 is far below the 0.01 the meter is shown with.
    expect(leaks.map((leak) => leak.id)).toEqual(oracleLeaks.map((leak) => leak.id));
    leaks.forEach((leak, s) =>
      expect(Math.abs(leak.correlation - oracleLeaks[s]!.correlation)).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(oracleLeaks[s]!.correlation)),
      ),
    );
    parted.push(result);
  }
  // Between part counts everything is exact, the leaks included.
  for (const result of parted.slice(1)) expect(measurements(result)).toEqual(measurements(parted[0]!));
  return { oracle, parted };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-residual-parts-'));
  decoder = createIngestor({ workers: 2 });
  for (const parts of PART_COUNTS)
    ingestors.set(parts, createIngestor({ workers: Math.max(2, parts), residualParts: parts }));
  const decode = async (part: StemKey | 'mix') => {
    const wavPath = join(dir, `${part}.wav`);
    await writeFile(wavPath, encodeWav(await renderPart(SEED, part, SECONDS)));
    return ref(await decoder.ingestWav({ wavPath, outBase: join(dir, part) }));
  };
  take = await decode('mix');
  for (const { key } of STEMS) stems.push({ id: key, ...(await decode(key)) });
}, 180_000);

afterAll(async () => {
  await Promise.all([decoder, ...ingestors.values()].map((ingestor) => ingestor.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('a residual in parts is the residual of one pass', () => {
  it('spans several chunks, so two and three parts really split it', () => {
    expect(stems[0]!.sampleCount).toBeGreaterThan(3 * CHUNK_FRAMES);
  });

  it('on the simulator split: all stems, and one withheld', async () => {
    const exact = await compare('exact', { source: take, stems });
    expect(exact.oracle.levelDb).toBeLessThan(-20);
    const withheld = await compare('no-drums', {
      source: take,
      stems: stems.filter((s) => s.id !== 'drums'),
    });
    expect(withheld.oracle.levelDb).toBeGreaterThan(-20);
    expect(withheld.oracle.leaks.every((leak) => leak.correlation !== 0)).toBe(true);
  });

  it('with 24-bit stems (the WAV-decoded ones leave every low byte zero)', async () => {
    let seed = 7;
    const dithered = [];
    for (const stem of stems) {
      const frames = await framesOf(stem);
      const values = frames.map((v) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return v + ((seed >>> 16) % 511) - 255;
      });
      dithered.push({
        id: stem.id,
        ...(await writeCache(`dithered-${stem.id}`, values, stem.channels, stem)),
      });
    }
    const { oracle } = await compare('24-bit', { source: take, stems: dithered });
    expect(oracle.offsetFrames).toBe(0);
  });

  it('with the stems shifted (offset search) and one cut short mid-chunk (silence past its end)', async () => {
    const shift = 137;
    const shifted = [];
    for (const stem of stems) {
      const frames = await framesOf(stem);
      const cut = stem.id === 'bass' ? CHUNK_FRAMES + 5001 : 0;
      const values = new Int32Array(frames.length + (shift - cut) * stem.channels);
      values.set(frames.subarray(0, frames.length - cut * stem.channels), shift * stem.channels);
      shifted.push({ id: stem.id, ...(await writeCache(`shifted-${stem.id}`, values, stem.channels, stem)) });
    }
    const { oracle } = await compare('shifted', { source: take, stems: shifted });
    expect(oracle.offsetFrames).toBe(shift);
    expect(oracle.sampleCount).toBe(stems[0]!.sampleCount + shift);
  });

  it('with a mono source mapped onto both channels', async () => {
    const frames = await framesOf(take);
    const left = new Int32Array(take.sampleCount);
    for (let f = 0; f < left.length; f++) left[f] = frames[2 * f]!;
    const mono = await writeCache('mono-take', left, 1, take);
    const { oracle } = await compare('mono', { source: mono, stems });
    expect(oracle.channels).toBe(2);
  });

  it('with mono stems and a mono source (the packer for any channel count)', async () => {
    const leftOf = async (pcm: PcmRef, name: string) => {
      const frames = await framesOf(pcm);
      const left = new Int32Array(pcm.sampleCount);
      for (let f = 0; f < left.length; f++) left[f] = frames[2 * f]!;
      return writeCache(name, left, 1, pcm);
    };
    const monoStems = [];
    for (const stem of stems) monoStems.push({ id: stem.id, ...(await leftOf(stem, `mono-${stem.id}`)) });
    const { oracle } = await compare('all-mono', {
      source: await leftOf(take, 'mono-source'),
      stems: monoStems,
    });
    expect(oracle.channels).toBe(1);
  });

  it('with a residual beyond full scale (clamped to 24 bits in the cache and the peaks)', async () => {
    const frames = await framesOf(take);
    const inverted = frames.map((v) => -8 * v);
    const loud = await writeCache('inverted-take', inverted, take.channels, take);
    const { oracle } = await compare('clipping', { source: take, stems: [{ id: 'inverted', ...loud }] });
    expect(oracle.peakDb).toBeGreaterThan(-0.001);
  });
});
