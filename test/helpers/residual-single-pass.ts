// The residual job as it was before it ran in parts (commit 2cb6541), frozen: the oracle the parted
// job must match bit for bit (test/integration/residual-parts.test.ts) and the baseline of
// test/bench/residual.bench.ts. Not product code: nothing in electron/ imports it.
import {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { createChunkAnalyser } from '../../electron/core/audio/chunk-analyser.ts';
import { IngestError, toIngestError } from '../../electron/core/audio/errors.ts';
import { outputPaths, partPaths } from '../../electron/core/audio/output-paths.ts';
import { encodePeaks } from '../../electron/core/audio/peaks.ts';
import { findOffset, type Alignment } from '../../electron/core/audio/residual/align.ts';
import type { PcmRef, ResidualInput, ResidualResult } from '../../electron/core/audio/residual/types.ts';

const CHUNK_FRAMES = 65536;
/** Window correlated to find the offset: about 0.4 s at 44.1 kHz, tried at three places. */
const ALIGN_FRAMES = 16384;
/** The farthest offset searched, in seconds: encoder delay is ~25 ms, a trimmed upload can be more. */
const MAX_LAG_SECONDS = 0.25;
/**
 * The leak meter is an estimate: one frame in sixteen (2756 a second) is plenty for a correlation
 * over seconds of audio, and keeps twelve dot products from costing more than the subtraction.
 */
const LEAK_STEP_FRAMES = 16;
const SCALE = 8388608;
const MIN_DB = -150;

interface OpenPcm extends PcmRef {
  fd: number;
  bytes: Uint8Array;
}

function openPcm(ref: PcmRef): OpenPcm {
  return { ...ref, fd: openSync(ref.pcmPath, 'r'), bytes: new Uint8Array(0) };
}

/**
 * Reads frames [start, start + frames) of `pcm` into `out` as s24 values (interleaved, `channels`
 * wide, a mono file mapped onto every channel; frames outside the file are silence), and subtracts
 * them from `minus` when given.
 */
function readFrames(
  pcm: OpenPcm,
  start: number,
  frames: number,
  channels: number,
  out: Int32Array,
  minus: Int32Array | null = null,
): void {
  const from = Math.max(0, start);
  const to = Math.min(pcm.sampleCount, start + frames);
  // Only the frames outside the file are silence; the rest is overwritten below.
  out.fill(0, 0, Math.max(0, Math.min(frames, from - start)) * channels);
  out.fill(0, Math.max(0, to - start) * channels, frames * channels);
  if (to <= from) return;
  const width = pcm.channels * 3;
  const length = (to - from) * width;
  // Whole words, so the unpacker can read four samples at a time.
  if (pcm.bytes.length < length) pcm.bytes = new Uint8Array(Math.ceil(length / 12) * 12);
  const bytes = pcm.bytes;
  for (let done = 0; done < length;) {
    const read = readSync(pcm.fd, bytes, done, length - done, from * width + done);
    if (read === 0)
      throw new IngestError('truncated', `the PCM cache ${pcm.pcmPath} is shorter than recorded`);
    done += read;
  }
  const skip = (from - start) * channels;
  if (pcm.channels === channels) return unpackS24(bytes, (to - from) * channels, out, skip, minus);
  for (let f = 0; f < to - from; f++)
    for (let c = 0; c < channels; c++) {
      const o = f * width + Math.min(c, pcm.channels - 1) * 3;
      const i = skip + f * channels + c;
      out[i] = ((bytes[o + 2]! << 24) | (bytes[o + 1]! << 16) | (bytes[o]! << 8)) >> 8;
      if (minus) minus[i]! -= out[i]!;
    }
}

function energy(samples: Int32Array, count: number): number {
  // Two running sums halve the wait on each addition (the loop is bound by its latency).
  let even = 0;
  let odd = 0;
  let i = 0;
  for (; i + 1 < count; i += 2) {
    even += samples[i]! * samples[i]!;
    odd += samples[i + 1]! * samples[i + 1]!;
  }
  if (i < count) even += samples[i]! * samples[i]!;
  return even + odd;
}

function monoWindow(files: OpenPcm[], start: number, frames: number, channels: number): Float32Array {
  const mono = new Float32Array(frames);
  const scratch = new Int32Array(frames * channels);
  for (const file of files) {
    readFrames(file, start, frames, channels, scratch);
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += scratch[f * channels + c]!;
      mono[f]! += sum / SCALE;
    }
  }
  return mono;
}

/** The best of three windows (a quiet intro or a break can fool a single one). */
function align(source: OpenPcm, stems: OpenPcm[], channels: number, sampleRate: number): Alignment {
  const maxLag = Math.round(MAX_LAG_SECONDS * sampleRate);
  const windowFrames = Math.min(ALIGN_FRAMES, source.sampleCount - 2 * maxLag);
  if (windowFrames < 1024) return { offsetFrames: 0, confidence: 0 };
  let best: Alignment = { offsetFrames: 0, confidence: -Infinity };
  for (const at of [0.25, 0.5, 0.75]) {
    const start = Math.round((source.sampleCount - windowFrames) * at);
    const found = findOffset(
      monoWindow([source], start, windowFrames, channels),
      monoWindow(stems, start - maxLag, windowFrames + 2 * maxLag, channels),
      maxLag,
    );
    if (found.confidence > best.confidence) best = found;
  }
  return best;
}

function correlation(dot: number, energyA: number, energyB: number): number {
  return energyA > 0 && energyB > 0 ? dot / Math.sqrt(energyA * energyB) : 0;
}

/** CPU time of this thread since `start`: wall time misleads on a machine shared with other work. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const { user, system } = process.threadCpuUsage(start);
  return (user + system) / 1000;
}

function toDb(ratio: number): number {
  return ratio > 0 ? Math.max(MIN_DB, 10 * Math.log10(ratio)) : MIN_DB;
}

function checkFormats(input: ResidualInput): { channels: number; sampleRate: number } {
  const first = input.stems[0];
  if (!first) throw new IngestError('not_audio', 'A residual needs at least one stem.');
  const { channels, sampleRate } = first;
  for (const stem of input.stems)
    if (stem.sampleRate !== sampleRate || stem.channels !== channels)
      throw new IngestError('not_audio', 'The stems of this split differ in sample rate or channels.');
  if (input.source.sampleRate !== sampleRate)
    throw new IngestError(
      'not_audio',
      `The source is at ${input.source.sampleRate} Hz and the stems at ${sampleRate} Hz: the residual needs one rate. Convert the source to ${sampleRate} Hz and split it again.`,
    );
  return { channels, sampleRate };
}

export function computeResidualSinglePass(input: ResidualInput): ResidualResult {
  const startedAt = performance.now();
  const cpuAtStart = process.threadCpuUsage();
  const { channels, sampleRate } = checkFormats(input);
  const { pcmPath, peaksPath } = outputPaths(input.outBase);
  const [pcmPart = '', peaksPart = ''] = partPaths(input.outBase);
  const source = openPcm(input.source);
  const stems: OpenPcm[] = [];
  let outFd: number | null = null;
  try {
    for (const stem of input.stems) stems.push(openPcm(stem));
    const { offsetFrames, confidence } = align(source, stems, channels, sampleRate);
    const frames = Math.max(...stems.map((stem) => stem.sampleCount));
    mkdirSync(dirname(pcmPart), { recursive: true });
    outFd = openSync(pcmPart, 'w');
    const analyser = createChunkAnalyser(channels);
    const width = CHUNK_FRAMES * channels;
    const residual = new Int32Array(width);
    const stemChunks = stems.map(() => new Int32Array(width));
    const planes = Array.from({ length: channels }, () => new Float32Array(CHUNK_FRAMES));
    const leakStep = LEAK_STEP_FRAMES * channels;
    const dots = new Float64Array(stems.length);
    const sampledStemEnergies = new Float64Array(stems.length);
    let sampledResidualEnergy = 0;
    let sourceEnergy = 0;
    let residualEnergy = 0;
    for (let at = 0; at < frames; at += CHUNK_FRAMES) {
      const count = Math.min(CHUNK_FRAMES, frames - at);
      const samples = count * channels;
      readFrames(source, at - offsetFrames, count, channels, residual);
      sourceEnergy += energy(residual, samples);
      for (let s = 0; s < stems.length; s++)
        readFrames(stems[s]!, at, count, channels, stemChunks[s]!, residual);
      residualEnergy += energy(residual, samples);
      for (let i = 0; i < samples; i += leakStep)
        for (let c = 0; c < channels; c++) sampledResidualEnergy += residual[i + c]! * residual[i + c]!;
      for (let s = 0; s < stems.length; s++) {
        const chunk = stemChunks[s]!;
        let dot = 0;
        let power = 0;
        for (let i = 0; i < samples; i += leakStep)
          for (let c = 0; c < channels; c++) {
            const v = chunk[i + c]!;
            dot += residual[i + c]! * v;
            power += v * v;
          }
        dots[s]! += dot;
        sampledStemEnergies[s]! += power;
      }
      for (let f = 0, i = 0; f < count; f++)
        for (let c = 0; c < channels; c++, i++) planes[c]![f] = residual[i]! / SCALE;
      const out = analyser.process(planes, count);
      for (let done = 0; done < out.length;) done += writeSync(outFd, out, done, out.length - done);
    }
    closeSync(outFd);
    outFd = null;
    const { levels, peakAbs } = analyser.finish();
    writeFileSync(peaksPart, encodePeaks({ version: 1, sampleRate, channels, sampleCount: frames, levels }));
    renameSync(peaksPart, peaksPath);
    renameSync(pcmPart, pcmPath);
    return {
      sampleRate,
      channels,
      sampleCount: frames,
      pcmPath,
      peaksPath,
      offsetFrames,
      alignment: confidence,
      levelDb: toDb(residualEnergy / sourceEnergy),
      peakDb: toDb((peakAbs / SCALE) ** 2),
      leaks: input.stems.map((stem, s) => ({
        id: stem.id,
        correlation: correlation(dots[s]!, sampledResidualEnergy, sampledStemEnergies[s]!),
      })),
      computeMs: Math.round(performance.now() - startedAt),
      cpuMs: Math.round(cpuMs(cpuAtStart)),
    };
  } catch (error) {
    if (outFd !== null) closeSync(outFd);
    for (const path of [pcmPart, peaksPart]) rmSync(path, { force: true });
    throw toIngestError(error);
  } finally {
    for (const file of [source, ...stems]) closeSync(file.fd);
  }
}

/**
 * Writes `count` samples from `bytes` (4-byte aligned, as allocated here) to out[at..], and
 * subtracts them from minus[at..] when given.
 */
function unpackS24(
  bytes: Uint8Array,
  count: number,
  out: Int32Array,
  at: number,
  minus: Int32Array | null,
): void {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  // Two copies of one loop: a branch per sample would cost as much as the unpacking.
  let i = 0;
  if (minus) {
    for (let w = 0; i + 4 <= count; i += 4, w += 3) {
      const w0 = words[w]!;
      const w1 = words[w + 1]!;
      const w2 = words[w + 2]!;
      const a = (w0 << 8) >> 8;
      const b = (((w0 >>> 24) | (w1 << 8)) << 8) >> 8;
      const c = (((w1 >>> 16) | (w2 << 16)) << 8) >> 8;
      const d = w2 >> 8;
      const j = at + i;
      out[j] = a;
      out[j + 1] = b;
      out[j + 2] = c;
      out[j + 3] = d;
      minus[j]! -= a;
      minus[j + 1]! -= b;
      minus[j + 2]! -= c;
      minus[j + 3]! -= d;
    }
  } else {
    for (let w = 0; i + 4 <= count; i += 4, w += 3) {
      const w0 = words[w]!;
      const w1 = words[w + 1]!;
      const w2 = words[w + 2]!;
      // Shifting a 24-bit value up by 8 and back arithmetically sign-extends it.
      out[at + i] = (w0 << 8) >> 8;
      out[at + i + 1] = (((w0 >>> 24) | (w1 << 8)) << 8) >> 8;
      out[at + i + 2] = (((w1 >>> 16) | (w2 << 16)) << 8) >> 8;
      out[at + i + 3] = w2 >> 8;
    }
  }
  for (let o = i * 3; i < count; i++, o += 3) {
    const v = ((bytes[o + 2]! << 24) | (bytes[o + 1]! << 16) | (bytes[o]! << 8)) >> 8;
    out[at + i] = v;
    if (minus) minus[at + i]! -= v;
  }
}
