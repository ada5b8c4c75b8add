// The header of one FLAC frame: sync code, block size, sample rate, channel layout, sample size and
// frame or sample number, checked with its CRC-8 and against STREAMINFO. A frame that disagrees
// with STREAMINFO is refused rather than followed: a stream that changes format mid-file is either
// damaged or one no take is, and the PCM cache has one format per file.
import { IngestError } from '../errors.ts';
import type { BitReader } from './bit-reader.ts';
import { crc8 } from './crc.ts';
import type { StreamInfo } from './stream-info.ts';

export type ChannelAssignment = 'independent' | 'left-side' | 'right-side' | 'mid-side';

export interface FrameHeader {
  isVariableBlocking: boolean;
  blockSize: number;
  channels: number;
  assignment: ChannelAssignment;
  bitsPerSample: number;
  /** Frame number (fixed blocking) or first sample number (variable blocking). */
  number: number;
}

const SYNC = 0x7ffc;
const RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const SAMPLE_BITS = [0, 8, 12, 0, 16, 20, 24, 32];

function damaged(what: string): IngestError {
  return new IngestError('not_audio', `the FLAC file is damaged (${what})`);
}

/** The UTF-8-like coded frame or sample number (up to 36 bits in 7 bytes). */
function readCodedNumber(reader: BitReader): number {
  const first = reader.readUint(8);
  const extra = first < 0x80 ? 0 : Math.clz32(~(first << 24)) - 1;
  if (extra === 0 && first >= 0x80) throw damaged('bad frame number');
  if (extra > 6) throw damaged('bad frame number');
  let value = extra === 0 ? first : first & (0x3f >>> extra);
  for (let i = 0; i < extra; i++) {
    const next = reader.readUint(8);
    if ((next & 0xc0) !== 0x80) throw damaged('bad frame number');
    value = value * 64 + (next & 0x3f);
  }
  return value;
}

function blockSizeOf(code: number, reader: BitReader): number {
  if (code === 0) throw damaged('reserved block size');
  if (code === 1) return 192;
  if (code <= 5) return 576 << (code - 2);
  if (code === 6) return reader.readUint(8) + 1;
  if (code === 7) return reader.readUint(16) + 1;
  return 256 << (code - 8);
}

function sampleRateOf(code: number, reader: BitReader, info: StreamInfo): number {
  if (code === 0) return info.sampleRate;
  if (code <= 11) return RATES[code]!;
  if (code === 12) return reader.readUint(8) * 1000;
  if (code === 13) return reader.readUint(16);
  if (code === 14) return reader.readUint(16) * 10;
  throw damaged('invalid sample rate code');
}

function layoutOf(code: number): { channels: number; assignment: ChannelAssignment } {
  if (code < 8) return { channels: code + 1, assignment: 'independent' };
  if (code === 8) return { channels: 2, assignment: 'left-side' };
  if (code === 9) return { channels: 2, assignment: 'right-side' };
  if (code === 10) return { channels: 2, assignment: 'mid-side' };
  throw damaged('reserved channel layout');
}

export function readFrameHeader(reader: BitReader, info: StreamInfo): FrameHeader {
  const start = reader.bytePos;
  if (reader.readUint(15) !== SYNC) throw damaged('no frame sync where a frame should start');
  const isVariableBlocking = reader.readUint(1) === 1;
  const blockCode = reader.readUint(4);
  const rateCode = reader.readUint(4);
  const layout = layoutOf(reader.readUint(4));
  const bitsCode = reader.readUint(3);
  if (reader.readUint(1) !== 0 || bitsCode === 3) throw damaged('reserved bits in a frame header');
  const number = readCodedNumber(reader);
  const blockSize = blockSizeOf(blockCode, reader);
  const sampleRate = sampleRateOf(rateCode, reader, info);
  const bitsPerSample = bitsCode === 0 ? info.bitsPerSample : SAMPLE_BITS[bitsCode]!;
  const headerEnd = reader.bytePos;
  if (reader.readUint(8) !== crc8(reader.data, start, headerEnd)) throw damaged('frame header checksum');
  if (
    sampleRate !== info.sampleRate ||
    layout.channels !== info.channels ||
    bitsPerSample !== info.bitsPerSample
  )
    throw new IngestError(
      'not_audio',
      `this FLAC file's frames (${layout.channels} ch, ${sampleRate} Hz, ${bitsPerSample}-bit) do not match its header (${info.channels} ch, ${info.sampleRate} Hz, ${info.bitsPerSample}-bit); the file is damaged`,
    );
  if (blockSize > info.maxBlockSize)
    throw damaged(
      `a frame claims ${blockSize} samples, more than the ${info.maxBlockSize} its header allows`,
    );
  return { isVariableBlocking, blockSize, ...layout, bitsPerSample, number };
}
