// The head of a FLAC file: the "fLaC" marker (after an ID3v2 tag, which some taggers prepend), the
// STREAMINFO block, and a walk over the other metadata blocks (pictures, tags, seek tables), which
// are skipped without being read, up to the first audio frame.
import { IngestError } from '../errors.ts';
import { formatProblem } from '../limits.ts';

export interface StreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Frames per channel; 0 when the encoder did not know (a stream written to a pipe). */
  totalSamples: number;
}

/** Bytes of the file from `at`: at least `length` of them unless the file ends first. */
export type ReadAt = (at: number, length: number) => Uint8Array;

const STREAMINFO_BYTES = 34;
/** 32-bit FLAC needs 33-bit side channels; no producer tool writes it for music and the cache is 24-bit. */
const MAX_BITS = 24;

function truncated(): IngestError {
  return new IngestError('truncated', 'the FLAC file ends inside its header');
}

/** Where the "fLaC" marker sits: 0, or just after an ID3v2 tag. */
function markerOffset(read: ReadAt): number {
  const head = read(0, 10);
  if (head.length >= 10 && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) {
    const size =
      ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
    return 10 + size + (head[5]! & 0x10 ? 10 : 0);
  }
  return 0;
}

function parseStreamInfo(body: Uint8Array): StreamInfo {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const packed = view.getUint32(10);
  const info: StreamInfo = {
    minBlockSize: view.getUint16(0),
    maxBlockSize: view.getUint16(2),
    sampleRate: packed >>> 12,
    channels: ((packed >>> 9) & 0x7) + 1,
    bitsPerSample: ((packed >>> 4) & 0x1f) + 1,
    totalSamples: (packed & 0xf) * 2 ** 32 + view.getUint32(14),
  };
  const problem = formatProblem(info.channels, info.sampleRate);
  if (problem) throw new IngestError('not_audio', problem);
  if (info.bitsPerSample > MAX_BITS)
    throw new IngestError(
      'not_audio',
      `this FLAC file has ${info.bitsPerSample}-bit samples; Stemhook decodes FLAC up to 24 bits (convert it to 24-bit FLAC or WAV)`,
    );
  if (info.bitsPerSample < 4 || info.maxBlockSize < 16 || info.minBlockSize > info.maxBlockSize)
    throw new IngestError('not_audio', 'the FLAC header (STREAMINFO) is not valid');
  return info;
}

/** Reads the metadata and returns the stream's format and where its first frame starts. */
export function readFlacHead(read: ReadAt, fileSize: number): { info: StreamInfo; framesOffset: number } {
  let at = markerOffset(read);
  const marker = read(at, 4);
  if (marker.length < 4 || String.fromCharCode(...marker) !== 'fLaC')
    throw new IngestError('not_audio', 'not a FLAC file (no "fLaC" marker)');
  at += 4;
  let info: StreamInfo | null = null;
  for (let isLast = false; !isLast;) {
    const header = read(at, 4);
    if (header.length < 4) throw truncated();
    isLast = (header[0]! & 0x80) !== 0;
    const type = header[0]! & 0x7f;
    const length = (header[1]! << 16) | (header[2]! << 8) | header[3]!;
    at += 4;
    if (info === null) {
      if (type !== 0 || length !== STREAMINFO_BYTES)
        throw new IngestError('not_audio', 'not a FLAC file (its first block is not STREAMINFO)');
      const body = read(at, STREAMINFO_BYTES);
      if (body.length < STREAMINFO_BYTES) throw truncated();
      info = parseStreamInfo(body);
    } else if (type === 0 || type === 127) {
      throw new IngestError('not_audio', 'the FLAC metadata is not valid (the file is damaged)');
    }
    at += length;
    if (at > fileSize) throw truncated();
  }
  if (info === null) throw truncated();
  return { info, framesOffset: at };
}
