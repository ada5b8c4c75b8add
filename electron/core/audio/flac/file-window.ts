// A sliding window over a file read in chunks: a decoder asks for the bytes from a position, gets
// a view into one reused buffer, and only the part of the file it is working on is ever in memory.
import { readSync } from 'node:fs';

export interface FileWindow {
  readonly fileSize: number;
  /** At least `length` bytes from `at` unless the file ends first; valid until the next call. */
  view(at: number, length: number): Uint8Array;
}

/** `capacity` is the most bytes held at once; a request for more grows it to that request. */
export function createFileWindow(fd: number, fileSize: number, capacity: number): FileWindow {
  let buffer = new Uint8Array(capacity);
  let start = 0;
  let filled = 0;
  return {
    fileSize,
    view(at, length) {
      const want = Math.max(0, Math.min(length, fileSize - at));
      if (at < start || at + want > start + filled) {
        if (want > buffer.length) {
          const grown = new Uint8Array(want);
          buffer = grown;
          filled = 0;
        }
        // Keep what is already here from `at` on, then read the rest in one call per gap.
        const kept = at >= start && at < start + filled ? start + filled - at : 0;
        if (kept > 0) buffer.copyWithin(0, at - start, filled);
        start = at;
        filled = kept;
        const wanted = Math.min(buffer.length, fileSize - at);
        while (filled < wanted) {
          const read = readSync(fd, buffer, filled, wanted - filled, start + filled);
          if (read === 0) break;
          filled += read;
        }
      }
      return buffer.subarray(at - start, Math.min(filled, at - start + want));
    },
  };
}
