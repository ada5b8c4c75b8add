// The `.peaks` file: multi-resolution min/max envelopes of a decoded file, how it is laid out on disk,
// and how a caller picks a level and hands it to wavesurfer.js.
//
// Layout (all little-endian), version 1:
//   0  4  magic "SHPK"
//   4  2  version (1)
//   6  2  channels
//   8  4  sampleRate
//  12  4  sampleCount (frames per channel; u32 is 24 h at 48 kHz)
//  16  2  levelCount
//  18  2  bytesPerValue (2: Int16)
//  20  8 * levelCount: samplesPerPeak u32, peakCount u32 (finest level first)
//  then for each level, for each channel, peakCount pairs of (min Int16, max Int16).
// peakCount is ceil(sampleCount / samplesPerPeak); the last peak covers the remainder.
//
// Values are Int16 (24-bit sample / 256, rounded): Int8 would leave a -40 dBFS stem barely more than
// one step tall, and producers zoom or normalise quiet stems; Int16 costs about 0.45 MB for a
// four-minute stereo stem, small next to its 63 MB PCM cache.
import { open, readFile } from 'node:fs/promises';
import { StemhookError } from '../stemhook-error.ts';

const PEAKS_MAGIC = 'SHPK';
const PEAKS_VERSION = 1;
export const SAMPLES_PER_PEAK: readonly number[] = [256, 1024, 4096, 16384];
const HEADER_BYTES = 20;
const LEVEL_BYTES = 8;

export interface PeaksLevel {
  samplesPerPeak: number;
  peakCount: number;
  /** One array per channel of interleaved (min, max) pairs, 2 * peakCount values, full scale 32768. */
  data: Int16Array[];
}

export interface PeaksFile {
  version: number;
  sampleRate: number;
  channels: number;
  sampleCount: number;
  levels: PeaksLevel[];
}

export class PeaksFormatError extends StemhookError<'bad_peaks'> {
  constructor(message: string) {
    super('bad_peaks', message);
    this.name = 'PeaksFormatError';
  }
}

export function encodePeaks(peaks: PeaksFile): Uint8Array {
  const dataBytes = peaks.levels.reduce((sum, level) => sum + level.peakCount * 4 * peaks.channels, 0);
  const out = new Uint8Array(HEADER_BYTES + LEVEL_BYTES * peaks.levels.length + dataBytes);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(PEAKS_MAGIC), 0);
  view.setUint16(4, PEAKS_VERSION, true);
  view.setUint16(6, peaks.channels, true);
  view.setUint32(8, peaks.sampleRate, true);
  view.setUint32(12, peaks.sampleCount, true);
  view.setUint16(16, peaks.levels.length, true);
  view.setUint16(18, 2, true);
  let offset = HEADER_BYTES;
  for (const level of peaks.levels) {
    view.setUint32(offset, level.samplesPerPeak, true);
    view.setUint32(offset + 4, level.peakCount, true);
    offset += LEVEL_BYTES;
  }
  for (const level of peaks.levels) {
    for (const channel of level.data) {
      for (let i = 0; i < level.peakCount * 2; i++, offset += 2) view.setInt16(offset, channel[i] ?? 0, true);
    }
  }
  return out;
}

/** The header and level table: each level's size and where its values start. */
function decodeLayout(bytes: Uint8Array): Omit<PeaksFile, 'levels'> & {
  levels: Array<{ samplesPerPeak: number; peakCount: number; offset: number }>;
} {
  if (bytes.length < HEADER_BYTES || new TextDecoder().decode(bytes.subarray(0, 4)) !== PEAKS_MAGIC) {
    throw new PeaksFormatError('not a peaks file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== PEAKS_VERSION || view.getUint16(18, true) !== 2) {
    throw new PeaksFormatError(`unsupported peaks version ${version}`);
  }
  const channels = view.getUint16(6, true);
  const levelCount = view.getUint16(16, true);
  if (bytes.length < HEADER_BYTES + LEVEL_BYTES * levelCount)
    throw new PeaksFormatError('peaks file is truncated');
  let offset = HEADER_BYTES + LEVEL_BYTES * levelCount;
  const levels = [];
  for (let l = 0; l < levelCount; l++) {
    const samplesPerPeak = view.getUint32(HEADER_BYTES + LEVEL_BYTES * l, true);
    const peakCount = view.getUint32(HEADER_BYTES + LEVEL_BYTES * l + 4, true);
    levels.push({ samplesPerPeak, peakCount, offset });
    offset += peakCount * 4 * channels;
  }
  return {
    version,
    sampleRate: view.getUint32(8, true),
    channels,
    sampleCount: view.getUint32(12, true),
    levels,
  };
}

/** A level's values from `bytes`, which start at the level's first value. */
function decodeLevel(
  bytes: Uint8Array,
  channels: number,
  level: { samplesPerPeak: number; peakCount: number },
) {
  if (bytes.length < level.peakCount * 4 * channels) throw new PeaksFormatError('peaks file is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data: Int16Array[] = [];
  let offset = 0;
  for (let c = 0; c < channels; c++) {
    const values = new Int16Array(level.peakCount * 2);
    for (let i = 0; i < values.length; i++, offset += 2) values[i] = view.getInt16(offset, true);
    data.push(values);
  }
  return { samplesPerPeak: level.samplesPerPeak, peakCount: level.peakCount, data };
}

export function decodePeaks(bytes: Uint8Array): PeaksFile {
  const layout = decodeLayout(bytes);
  return {
    ...layout,
    levels: layout.levels.map((level) => decodeLevel(bytes.subarray(level.offset), layout.channels, level)),
  };
}

/**
 * One level of a peaks file, read alone: the header, the level table, then only the bytes of the
 * level `pixelsWanted` picks (selectLevel). A studio opening asks this for every lane at once, on
 * the host's thread; decoding every level of every lane cost 2-10 ms a lane (4- and 20-minute
 * stems), the PCM the first sound waits for queued behind it.
 */
export async function readPeaksLevel(
  path: string,
  pixelsWanted: number,
): Promise<Omit<PeaksFile, 'levels'> & { level: PeaksLevel }> {
  const handle = await open(path, 'r');
  try {
    const readAt = async (position: number, length: number) => {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, position);
      return bytes.subarray(0, bytesRead);
    };
    const head = await readAt(0, HEADER_BYTES);
    const levelCount = head.length === HEADER_BYTES ? new DataView(head.buffer).getUint16(16, true) : 0;
    const layout = decodeLayout(await readAt(0, HEADER_BYTES + LEVEL_BYTES * levelCount));
    const chosen = selectLevel(layout.levels, pixelsWanted);
    const length = chosen.peakCount * 4 * layout.channels;
    // A header can lie: its level must be in the file before a buffer that size is made for it.
    if (chosen.offset + length > (await handle.stat()).size)
      throw new PeaksFormatError('peaks file is truncated');
    const bytes = await readAt(chosen.offset, length);
    const { levels: _levels, ...file } = layout;
    return { ...file, level: decodeLevel(bytes, layout.channels, chosen) };
  } finally {
    await handle.close();
  }
}

export async function readPeaks(path: string): Promise<PeaksFile> {
  return decodePeaks(await readFile(path));
}

/** The coarsest level that still has a peak per pixel; the finest level when none has enough. */
export function selectLevel<T extends { samplesPerPeak: number; peakCount: number }>(
  levels: T[],
  pixelsWanted: number,
): T {
  const byCoarseness = [...levels].sort((a, b) => b.samplesPerPeak - a.samplesPerPeak);
  const level = byCoarseness.find((candidate) => candidate.peakCount >= pixelsWanted) ?? byCoarseness.at(-1);
  if (!level) throw new PeaksFormatError('peaks file has no levels');
  return level;
}

/**
 * wavesurfer.js 8 takes `peaks` as one array per channel of values in -1..1 and draws, per pixel,
 * the largest absolute value (channel 0 above the axis, channel 1 or 0 mirrored below). So each
 * (min, max) pair becomes the extreme with the larger magnitude, signed, like its own exportPeaks().
 */
export function toWaveSurferPeaks(level: PeaksLevel): number[][] {
  return level.data.map((pairs) => {
    const out = new Array<number>(level.peakCount);
    for (let i = 0; i < level.peakCount; i++) {
      const min = pairs[2 * i] ?? 0;
      const max = pairs[2 * i + 1] ?? 0;
      out[i] = (-min > max ? min : max) / 32768;
    }
    return out;
  });
}
