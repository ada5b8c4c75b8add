// Reads a response body straight into buffers the caller owns (the stream reader's chunk buffers,
// reused from chunk to chunk). `arrayBuffer()` made one buffer per response, garbage as soon as it
// was copied into chunks: a seek's first batch is 13 lanes' worth, and eight quick seeks left about
// 20 MB of bodies in the renderer until V8's next collection. Where the body is a byte stream
// (Chromium's fetch) its BYOB reader writes into our buffers with no copy and no garbage; anywhere
// else the pieces it hands out are copied in.
import { PART_HEADER_BYTES } from '../../../shared/pcm16-batch.ts';

export interface BodyReader {
  /**
   * Fills `targets` in order with the body's next `length` bytes and zeroes what is left of them (a
   * reused buffer must not replay old audio); bytes beyond the targets are read and dropped. Returns
   * views over the same memory (a BYOB read hands every buffer back as a new object). Rejects when
   * the body ends first.
   */
  fill(targets: Uint8Array[], length: number): Promise<Uint8Array[]>;
  /** Rejects unless the body has ended. */
  expectEnd(): Promise<void>;
}

const endedEarly = () => new Error('the body ends early');

/** `onBytes` is told how many bytes each read brought (a transfer watchdog's progress). */
export function readInto(body: ReadableStream<Uint8Array>, onBytes?: (bytes: number) => void): BodyReader {
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    byob = null; // not a byte stream: copy from the default reader's pieces
  }
  const plain = byob ? null : body.getReader();
  /** The default reader's piece not yet used up. */
  let rest: Uint8Array = new Uint8Array(0);

  /** Fills the whole of `target`; the view it returns covers the same bytes. */
  const fillOne = async (target: Uint8Array): Promise<Uint8Array> => {
    // Taken before the first read: a BYOB read detaches the buffer, and `target` then reads as empty.
    const { byteOffset: start, byteLength: total } = target;
    let offset = 0;
    if (byob) {
      let buffer = target.buffer as ArrayBuffer;
      while (offset < total) {
        const { value, done } = await byob.read(new Uint8Array(buffer, start + offset, total - offset));
        if (done || !value) throw endedEarly();
        onBytes?.(value.byteLength);
        buffer = value.buffer as ArrayBuffer;
        offset += value.byteLength;
      }
      return new Uint8Array(buffer, start, total);
    }
    while (offset < total) {
      if (rest.byteLength === 0) {
        const { value, done } = await (plain as ReadableStreamDefaultReader<Uint8Array>).read();
        if (done) throw endedEarly();
        onBytes?.(value.byteLength);
        rest = value;
        continue;
      }
      const count = Math.min(rest.byteLength, total - offset);
      target.set(rest.subarray(0, count), offset);
      rest = rest.subarray(count);
      offset += count;
    }
    return target;
  };

  return {
    async fill(targets, length) {
      const filled: Uint8Array[] = [];
      let remaining = length;
      for (const target of targets) {
        const { byteOffset, byteLength } = target;
        const count = Math.min(remaining, byteLength);
        let view = target;
        if (count > 0) {
          const head = await fillOne(target.subarray(0, count));
          view = new Uint8Array(head.buffer, byteOffset, byteLength);
        }
        view.fill(0, count);
        filled.push(view);
        remaining -= count;
      }
      // More than asked for (a server that does not clamp as ours does): keep the framing.
      for (let scratch: Uint8Array = new Uint8Array(Math.min(remaining, 65536)); remaining > 0;) {
        scratch = await fillOne(scratch.subarray(0, Math.min(remaining, scratch.byteLength)));
        remaining -= scratch.byteLength;
        scratch = new Uint8Array(scratch.buffer);
      }
      return filled;
    },
    async expectEnd() {
      if (rest.byteLength > 0) throw new Error('the body is longer than its parts');
      const { done } = byob
        ? await byob.read(new Uint8Array(1))
        : await (plain as ReadableStreamDefaultReader).read();
      if (!done) throw new Error('the body is longer than its parts');
    },
  };
}

/** One part of a batch answer (shared/pcm16-batch.ts): its status and, for 206, its bytes. */
export interface ReadPart {
  status: number;
  views: Uint8Array[];
}

/**
 * Reads a batch answer's `count` frames; `into` gives the buffers each 206 part is read into (sized
 * for what was asked; a shorter part leaves the rest zeroed). Rejects on a malformed body.
 */
export async function readBatchParts(
  body: ReadableStream<Uint8Array> | null,
  count: number,
  into: (part: number, byteLength: number) => Uint8Array[],
  onBytes?: (bytes: number) => void,
): Promise<ReadPart[]> {
  if (!body) throw new Error('batch body ends early');
  const reader = readInto(body, onBytes);
  const parts: ReadPart[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const [header] = await reader.fill([new Uint8Array(PART_HEADER_BYTES)], PART_HEADER_BYTES);
      if (!header) throw new Error('no header');
      const fields = new DataView(header.buffer, header.byteOffset, PART_HEADER_BYTES);
      const status = fields.getUint32(0, true);
      const length = fields.getUint32(4, true);
      const views = await reader.fill(status === 206 ? into(i, length) : [], length);
      parts.push({ status, views });
    }
    await reader.expectEnd();
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new Error(`batch body: ${(error as Error).message}`, { cause: error });
  }
  return parts;
}
