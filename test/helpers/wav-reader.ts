// An independent WAV reader for tests (written apart from the app's writer and ingest, so a shared
// misunderstanding cannot pass unnoticed), plus ffprobe and sox as outside oracles.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

interface WavFile {
  container: 'RIFF' | 'RF64';
  chunkIds: string[];
  formatTag: number;
  /** For WAVE_FORMAT_EXTENSIBLE: the sub-format code (1 PCM, 3 float). */
  subFormat: number | null;
  validBits: number | null;
  channelMask: number | null;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  frames: number;
  isFloat: boolean;
  /** Interleaved samples: integers at their own bit depth, or floats. */
  samples: Int32Array | Float32Array;
  riffSize: number;
  fileSize: number;
}

export function parseWav(buf: Buffer): WavFile {
  const container = buf.toString('latin1', 0, 4);
  if ((container !== 'RIFF' && container !== 'RF64') || buf.toString('latin1', 8, 12) !== 'WAVE')
    throw new Error('not RIFF/WAVE');
  const chunkIds: string[] = [];
  let fmt: Omit<
    WavFile,
    'container' | 'chunkIds' | 'frames' | 'samples' | 'riffSize' | 'fileSize' | 'isFloat'
  > | null = null;
  let riffSize = buf.readUInt32LE(4);
  let ds64Data = -1;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('latin1', pos, pos + 4);
    let size = buf.readUInt32LE(pos + 4);
    chunkIds.push(id);
    const body = pos + 8;
    if (id === 'ds64') {
      riffSize = Number(buf.readBigUInt64LE(body));
      ds64Data = Number(buf.readBigUInt64LE(body + 8));
    }
    if (id === 'fmt ') {
      const formatTag = buf.readUInt16LE(body);
      const isExt = formatTag === 0xfffe;
      fmt = {
        formatTag,
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        byteRate: buf.readUInt32LE(body + 8),
        blockAlign: buf.readUInt16LE(body + 12),
        bitsPerSample: buf.readUInt16LE(body + 14),
        validBits: isExt ? buf.readUInt16LE(body + 18) : null,
        channelMask: isExt ? buf.readUInt32LE(body + 20) : null,
        subFormat: isExt ? buf.readUInt16LE(body + 24) : null,
      };
    }
    if (id === 'data') {
      if (!fmt) throw new Error('data before fmt');
      if (container === 'RF64' && size === 0xffffffff) size = ds64Data;
      const isFloat = (fmt.subFormat ?? fmt.formatTag) === 3;
      const bytes = fmt.bitsPerSample / 8;
      const count = Math.floor(size / bytes);
      const samples = isFloat ? new Float32Array(count) : new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const at = body + i * bytes;
        samples[i] = isFloat
          ? buf.readFloatLE(at)
          : bytes === 1
            ? buf.readUInt8(at) - 128
            : buf.readIntLE(at, bytes);
      }
      return {
        container,
        chunkIds,
        ...fmt,
        isFloat,
        frames: count / fmt.channels,
        samples,
        riffSize,
        fileSize: buf.length,
      };
    }
    pos = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}

export async function readWavFile(path: string): Promise<WavFile> {
  return parseWav(await readFile(path));
}

const FFPROBE = '/usr/bin/ffprobe';
const SOXI = '/usr/bin/soxi';
export const hasFfprobe = existsSync(FFPROBE);
export const hasSoxi = existsSync(SOXI);

interface ProbeInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Frames, from the stream's duration in its 1/rate time base. */
  frames: number;
}

export function ffprobe(path: string): ProbeInfo {
  const out = spawnSync(FFPROBE, [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'stream=codec_name,sample_rate,channels,bits_per_sample,bits_per_raw_sample,duration_ts',
    '-of',
    'json',
    path,
  ]);
  if (out.status !== 0) throw new Error(`ffprobe failed: ${out.stderr.toString()}`);
  const stream =
    (JSON.parse(out.stdout.toString()) as { streams: Array<Record<string, string | number>> }).streams[0] ??
    {};
  return {
    codec: String(stream.codec_name),
    sampleRate: Number(stream.sample_rate),
    channels: Number(stream.channels),
    bitsPerSample: Number(stream.bits_per_sample),
    frames: Number(stream.duration_ts),
  };
}

/** sox's own count of samples per channel (`soxi -s`). */
export function soxiFrames(path: string): number {
  const out = spawnSync(SOXI, ['-s', path]);
  if (out.status !== 0) throw new Error(`soxi failed: ${out.stderr.toString()}`);
  return Number(out.stdout.toString().trim());
}

export function skipReason(tool: string): string {
  return `${tool} is not installed; skipping the outside-oracle check`;
}
