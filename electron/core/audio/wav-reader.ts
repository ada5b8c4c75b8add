// Ingest of WAV files (KIE's lossless WAV conversions, uploaded sources) and AIFF files (uploaded
// sources): parses RIFF/RF64 (AIFF in aiff-header.ts) and every common sample format, then feeds the
// same cache writer as the MP3 and FLAC paths, so the PCM cache, the peaks and the level flags come
// out exactly as they would for a decoded MP3. Outputs are published by rename.
import { open, type FileHandle } from 'node:fs/promises';
import { openCacheWriter, type CacheWriter } from './cache-writer.ts';
import { IngestError, toIngestError } from './errors.ts';
import { formatProblem, MAX_TAKE_SECONDS, tooLongMessage } from './limits.ts';
import { isAiff, parseAiffHeader } from './aiff-header.ts';
import type { PcmLayout } from './pcm-layout.ts';
import type { IngestResult, WavIngestInput } from './types.ts';

const HEAD_BYTES = 64 * 1024;
const CHUNK_FRAMES = 65536;
const UNKNOWN_SIZE = 0xffffffff;

function tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

/** Reads the chunk list from the file's first bytes; `fileSize` bounds a data chunk of unknown size. */
function parseWavHeader(head: Uint8Array, fileSize: number): PcmLayout {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const riff = tag(head, 0);
  if (head.length < 12 || (riff !== 'RIFF' && riff !== 'RF64') || tag(head, 8) !== 'WAVE') {
    throw new IngestError('not_audio', 'not a WAV file (no RIFF/WAVE header)');
  }
  let fmt: Omit<PcmLayout, 'dataOffset' | 'frames'> | null = null;
  let ds64DataBytes: number | null = null;
  for (let at = 12; at + 8 <= head.length;) {
    const id = tag(head, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'ds64' && body + 16 <= head.length) ds64DataBytes = Number(view.getBigUint64(body + 8, true));
    if (id === 'fmt ' && body + 16 <= head.length) {
      let encoding = view.getUint16(body, true);
      if (encoding === 0xfffe && size >= 40 && body + 26 <= head.length)
        encoding = view.getUint16(body + 24, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      const isKnown =
        (encoding === 1 && [8, 16, 24, 32].includes(bitsPerSample)) ||
        (encoding === 3 && [32, 64].includes(bitsPerSample));
      if (!isKnown)
        throw new IngestError(
          'not_audio',
          `unsupported WAV sample format (code ${encoding}, ${bitsPerSample} bits)`,
        );
      fmt = {
        encoding: encoding as 1 | 3,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample,
        isBigEndian: false,
        isSigned8: false,
      };
      // A lying channel count once cost gigabytes of buffers; refuse formats no take has.
      const problem = formatProblem(fmt.channels, fmt.sampleRate);
      if (problem) throw new IngestError('not_audio', problem);
      if (fmt.blockAlign !== (fmt.channels * bitsPerSample) / 8) {
        throw new IngestError('not_audio', 'WAV format chunk is inconsistent');
      }
    }
    if (id === 'data') {
      if (!fmt) throw new IngestError('not_audio', 'WAV data chunk before its format chunk');
      const available = fileSize - body;
      const declared = riff === 'RF64' && size === UNKNOWN_SIZE ? (ds64DataBytes ?? available) : size;
      // Streaming writers leave 0 or 0xFFFFFFFF when they never came back to patch the size.
      const bytes = declared === 0 || declared === UNKNOWN_SIZE ? available : declared;
      if (bytes > available)
        throw new IngestError(
          'truncated',
          `the WAV data chunk promises ${bytes} bytes but only ${available} are there`,
        );
      return { ...fmt, dataOffset: body, frames: Math.floor(bytes / fmt.blockAlign) };
    }
    at = body + size + (size % 2);
  }
  throw new IngestError('not_audio', 'no WAV data chunk in the first 64 KiB');
}

/** Planar float32 views of interleaved PCM bytes, in -1..1 (the decoder's convention). */
function toPlanar(info: PcmLayout, bytes: Uint8Array, frames: number, planes: Float32Array[]): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPer = info.bitsPerSample / 8;
  const le = !info.isBigEndian;
  // Byte positions of a 24-bit sample's low, middle and high byte.
  const [lo, mid, hi] = le ? [0, 1, 2] : [2, 1, 0];
  for (let f = 0, o = 0; f < frames; f++) {
    for (let c = 0; c < info.channels; c++, o += bytesPer) {
      let x: number;
      if (info.encoding === 3) x = bytesPer === 4 ? view.getFloat32(o, le) : view.getFloat64(o, le);
      else if (bytesPer === 2) x = view.getInt16(o, le) / 32768;
      else if (bytesPer === 3)
        x = (((bytes[o + hi]! << 24) | (bytes[o + mid]! << 16) | (bytes[o + lo]! << 8)) >> 8) / 8388608;
      else if (bytesPer === 4) x = view.getInt32(o, le) / 2147483648;
      else x = info.isSigned8 ? view.getInt8(o) / 128 : (bytes[o]! - 128) / 128;
      planes[c]![f] = Number.isFinite(x) ? x : 0;
    }
  }
}

export async function ingestWavFile(input: WavIngestInput): Promise<IngestResult> {
  const maxSeconds = input.maxSeconds ?? MAX_TAKE_SECONDS;
  let source: FileHandle | null = null;
  let writer: CacheWriter | null = null;
  try {
    source = await open(input.wavPath, 'r');
    const fileSize = (await source.stat()).size;
    const head = new Uint8Array(Math.min(HEAD_BYTES, fileSize));
    await source.read(head, 0, head.length, 0);
    const info = isAiff(head) ? parseAiffHeader(head, fileSize) : parseWavHeader(head, fileSize);
    if (info.frames === 0) throw new IngestError('not_audio', 'the WAV file holds no audio');
    if (info.frames > maxSeconds * info.sampleRate)
      throw new IngestError('too_long', tooLongMessage(maxSeconds));
    writer = await openCacheWriter({
      outBase: input.outBase,
      channels: info.channels,
      sampleRate: info.sampleRate,
      expectedSeconds: info.frames / info.sampleRate,
      maxSeconds,
    });
    const buffer = new Uint8Array(CHUNK_FRAMES * info.blockAlign);
    const planes = Array.from({ length: info.channels }, () => new Float32Array(CHUNK_FRAMES));
    for (let frame = 0; frame < info.frames;) {
      const frames = Math.min(CHUNK_FRAMES, info.frames - frame);
      const want = frames * info.blockAlign;
      const { bytesRead } = await source.read(buffer, 0, want, info.dataOffset + frame * info.blockAlign);
      if (bytesRead < want) throw new IngestError('truncated', 'the WAV file ended early');
      toPlanar(info, buffer, frames, planes);
      writer.write(planes, frames);
      frame += frames;
    }
    const result = writer.publish();
    writer = null;
    return result;
  } catch (error) {
    writer?.discard();
    throw toIngestError(error);
  } finally {
    await source?.close().catch(() => undefined);
  }
}
