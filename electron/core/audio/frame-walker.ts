// Follows MPEG frame lengths through a file fed in chunks, to tell a truncated file from a complete
// one: mpg123 silently drops an incomplete last frame, so the decoder alone cannot.
import { headerAt, isSameStream, parseFrameHeader } from './mpeg-header.ts';
import type { FirstFrame, FrameHeader } from './mpeg-header.ts';

interface FrameWalker {
  /** Feed the file's bytes in order; `position` is the chunk's offset in the file. */
  push(chunk: Uint8Array, position: number): void;
  /** Why the stream looks truncated, or null when it looks complete. */
  finish(fileSize: number): string | null;
}

export function createFrameWalker(first: FirstFrame): FrameWalker {
  const reference: FrameHeader = first.header;
  let next = first.offset;
  let isInSync = true;
  let frames = 0;
  let lastFrameEnd = first.offset;
  // The last frame was reached by following lengths from a verified frame, not found by a resync
  // scan, so a claimed length past end of file means real truncation rather than junk in a tail tag.
  let isLastChained = true;
  let carry = new Uint8Array(0);
  let carryPosition = 0;

  function byteAt(chunk: Uint8Array, position: number, at: number): number {
    return at >= position ? (chunk[at - position] ?? 0) : (carry[at - carryPosition] ?? 0);
  }

  function headerAcross(chunk: Uint8Array, position: number, at: number): FrameHeader | null {
    if (at >= position) return headerAt(chunk, at - position);
    return parseFrameHeader(
      byteAt(chunk, position, at),
      byteAt(chunk, position, at + 1),
      byteAt(chunk, position, at + 2),
      byteAt(chunk, position, at + 3),
    );
  }

  return {
    push(chunk, position) {
      const end = position + chunk.length;
      while (next + 4 <= end) {
        const header = headerAcross(chunk, position, next);
        if (header && isSameStream(reference, header)) {
          frames++;
          isLastChained = isInSync;
          isInSync = true;
          lastFrameEnd = next + header.frameLength;
          next = lastFrameEnd;
        } else {
          isInSync = false;
          next++;
        }
      }
      // Keep the last three bytes seen, which may span several tiny chunks.
      const fromChunk = Math.min(3, chunk.length);
      const fromCarry = Math.min(3 - fromChunk, carry.length);
      const kept = new Uint8Array(fromCarry + fromChunk);
      kept.set(carry.subarray(carry.length - fromCarry), 0);
      kept.set(chunk.subarray(chunk.length - fromChunk), fromCarry);
      carry = kept;
      carryPosition = end - kept.length;
    },
    finish(fileSize) {
      if (isLastChained && lastFrameEnd > fileSize) {
        return `last frame needs ${lastFrameEnd - fileSize} more bytes than the file has`;
      }
      if (first.minFrames !== null && frames < first.minFrames) {
        return `header announces ${first.minFrames} frames, file has ${frames}`;
      }
      return null;
    },
  };
}
