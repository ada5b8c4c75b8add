// One FLAC frame from its sync code to its CRC-16: the header, one subframe per channel, the
// inter-channel decorrelation undone, and the checksum over every byte. A frame whose CRC-16 does
// not match is refused (the whole source with it): a producer's A/B and residual must read exactly
// the audio in the file, and silently skipping or muting a damaged block would hide a gap.
import { IngestError } from '../errors.ts';
import { BitReader } from './bit-reader.ts';
import { crc16 } from './crc.ts';
import { readFrameHeader, type ChannelAssignment, type FrameHeader } from './frame-header.ts';
import type { StreamInfo } from './stream-info.ts';
import { readSubframe, type SubframeSummary } from './subframe.ts';

export interface FrameSummary {
  blockSize: number;
  assignment: ChannelAssignment;
  subframes: SubframeSummary[];
}

export interface DecodedFrame {
  header: FrameHeader;
  /** Bytes the frame took, CRC included. */
  byteLength: number;
  summary: FrameSummary;
}

/** Which channel (if any) carries the side signal, which needs one more bit per sample. */
function sideChannel(assignment: ChannelAssignment): number {
  return assignment === 'left-side' || assignment === 'mid-side' ? 1 : assignment === 'right-side' ? 0 : -1;
}

function decorrelate(assignment: ChannelAssignment, a: Int32Array, b: Int32Array, n: number): void {
  if (assignment === 'left-side') for (let i = 0; i < n; i++) b[i] = a[i]! - b[i]!;
  else if (assignment === 'right-side') for (let i = 0; i < n; i++) a[i] = a[i]! + b[i]!;
  else if (assignment === 'mid-side')
    for (let i = 0; i < n; i++) {
      const side = b[i]!;
      const mid = a[i]! * 2 + (side & 1);
      a[i] = (mid + side) >> 1;
      b[i] = (mid - side) >> 1;
    }
}

/**
 * Decodes the frame starting at `bytes[0]` into `channels` (each at least STREAMINFO's max block
 * size long). `overrun` is what reading past `bytes` means: the file ended, or the frame is bigger
 * than any encoder makes one.
 */
export function decodeFrame(
  bytes: Uint8Array,
  info: StreamInfo,
  channels: Int32Array[],
  overrun: () => never,
): DecodedFrame {
  const reader = new BitReader(bytes, 0, bytes.length, overrun);
  const header = readFrameHeader(reader, info);
  const side = sideChannel(header.assignment);
  const subframes: SubframeSummary[] = [];
  for (let c = 0; c < header.channels; c++) {
    const bits = header.bitsPerSample + (c === side ? 1 : 0);
    subframes.push(readSubframe(reader, channels[c]!, header.blockSize, bits));
  }
  reader.alignToByte();
  const crcAt = reader.bytePos;
  if (reader.readUint(16) !== crc16(bytes, 0, crcAt))
    throw new IngestError(
      'not_audio',
      'the FLAC file is damaged (a frame fails its checksum); re-export or re-copy the file and upload it again',
    );
  decorrelate(header.assignment, channels[0]!, channels[1]!, header.blockSize);
  return {
    header,
    byteLength: crcAt + 2,
    summary: { blockSize: header.blockSize, assignment: header.assignment, subframes },
  };
}
