// Reading the residual's inputs: PCM caches (s24le, interleaved) opened once per step, read in
// whole chunks with positional reads, a file that ends before its recorded length reported as such.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { IngestError } from '../errors.ts';
import { s24At, subtractS24, subtractS24x4, unpackS24 } from './s24-words.ts';
import type { PcmRef, ResidualInput } from './types.ts';

export interface OpenPcm extends PcmRef {
  fd: number;
  /** The last chunk read, reused: stays valid until the next read of this file. */
  bytes: Uint8Array;
}

const BYTES_PER_SAMPLE = 3;

/** Opens a cache and checks it holds the frames its record promises (a cut-short copy fails here). */
export function openPcm(ref: PcmRef, what: string): OpenPcm {
  let fd: number;
  try {
    fd = openSync(ref.pcmPath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new IngestError('io', `The PCM cache of ${what} is missing (${ref.pcmPath}): decode it again.`);
    throw error;
  }
  const expected = ref.sampleCount * ref.channels * BYTES_PER_SAMPLE;
  const size = fstatSync(fd).size;
  if (size < expected) {
    closeSync(fd);
    throw new IngestError(
      'truncated',
      `The PCM cache of ${what} (${ref.pcmPath}) holds ${size} bytes, ${expected} recorded: decode it again.`,
    );
  }
  return { ...ref, fd, bytes: new Uint8Array(0) };
}

export function closePcms(files: OpenPcm[]): void {
  for (const file of files) closeSync(file.fd);
}

/** Opens the source and every stem (checked), or closes what it opened and throws. */
export function openInputs(input: ResidualInput): { source: OpenPcm; stems: OpenPcm[] } {
  const opened: OpenPcm[] = [];
  try {
    const source = openPcm(input.source, 'the source');
    opened.push(source);
    for (const stem of input.stems) opened.push(openPcm(stem, `the stem ${stem.id}`));
    return { source, stems: opened.slice(1) };
  } catch (error) {
    closePcms(opened);
    throw error;
  }
}

/** Frames [from, to) of the file into pcm.bytes (whole 12-byte words, for the unpackers). */
function readBytes(pcm: OpenPcm, from: number, to: number): Uint8Array {
  const width = pcm.channels * BYTES_PER_SAMPLE;
  const length = (to - from) * width;
  if (pcm.bytes.length < length) pcm.bytes = new Uint8Array(Math.ceil(length / 12) * 12);
  const bytes = pcm.bytes;
  for (let done = 0; done < length;) {
    const read = readSync(pcm.fd, bytes, done, length - done, from * width + done);
    if (read === 0)
      throw new IngestError('truncated', `the PCM cache ${pcm.pcmPath} is shorter than recorded`);
    done += read;
  }
  return bytes;
}

/**
 * Reads frames [start, start + frames) of `pcm` into `out` as s24 values (interleaved, `channels`
 * wide, a mono file mapped onto every channel; frames outside the file are silence).
 */
export function readFrames(
  pcm: OpenPcm,
  start: number,
  frames: number,
  channels: number,
  out: Int32Array,
): void {
  const from = Math.max(0, start);
  const to = Math.min(pcm.sampleCount, start + frames);
  // Only the frames outside the file are silence; the rest is overwritten below.
  out.fill(0, 0, Math.max(0, Math.min(frames, from - start)) * channels);
  out.fill(0, Math.max(0, to - start) * channels, frames * channels);
  if (to <= from) return;
  const bytes = readBytes(pcm, from, to);
  const skip = (from - start) * channels;
  if (pcm.channels === channels) return unpackS24(bytes, (to - from) * channels, out, skip);
  for (let f = 0; f < to - from; f++)
    for (let c = 0; c < channels; c++)
      out[skip + f * channels + c] = s24At(bytes, f * pcm.channels + Math.min(c, pcm.channels - 1));
}

/** Stems subtracted together: one pass over the running total per four stems. */
const GROUP = 4;

/**
 * Subtracts frames [start, start + frames) of every stem (all as wide as `minus`, start ≥ 0) from
 * `minus`, and keeps every `step`-th frame of stem s in kept[s] (silence past its end) for the leak
 * meter. Stems are read a group at a time, so a group's chunks are still in cache when subtracted.
 */
export function subtractStems(
  stems: OpenPcm[],
  start: number,
  frames: number,
  minus: Int32Array,
  step: number,
  kept: Int32Array[],
): void {
  for (let first = 0; first < stems.length; first += GROUP) {
    const group = stems.slice(first, first + GROUP);
    const samples = group.map(
      (stem) => Math.max(0, Math.min(frames, stem.sampleCount - start)) * stem.channels,
    );
    const bytes = group.map((stem, s) =>
      samples[s]! > 0 ? readBytes(stem, start, start + samples[s]! / stem.channels) : stem.bytes,
    );
    const channels = group[0]!.channels;
    let together = 0;
    // Frames [0, keptFrames) of the leak samples are stored by the four-stem loop.
    let keptFrames = 0;
    if (group.length === GROUP) {
      together = Math.min(...samples);
      together -= together % 4;
      const every = step * channels;
      const keep =
        channels === 2 && every % 4 === 0
          ? { every, into: [kept[first]!, kept[first + 1]!, kept[first + 2]!, kept[first + 3]!] as const }
          : null;
      subtractS24x4([bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!], together, minus, keep);
      if (keep) keptFrames = Math.ceil(together / every) * step;
    }
    for (let s = 0; s < group.length; s++) {
      subtractS24(bytes[s]!, together, samples[s]!, minus);
      const out = kept[first + s]!;
      for (let f = keptFrames, k = (keptFrames / step) * channels; f < frames; f += step)
        for (let c = 0; c < channels; c++, k++) {
          const i = f * channels + c;
          out[k] = i < samples[s]! ? s24At(bytes[s]!, i) : 0;
        }
    }
  }
}
