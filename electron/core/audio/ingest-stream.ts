// One ingest of an MP3 while it downloads, run inside a decode worker: the downloader posts each
// checked chunk on a MessagePort, and the shared decode pass consumes them as they come, so the
// stem is ready moments after its last byte instead of a whole decode later.
import type { MessagePort } from 'node:worker_threads';
import { IngestError, toIngestError } from './errors.ts';
import { findFirstFrame, firstFrameBytesNeeded, type ReadAt } from './mpeg-header.ts';
import { decodeMp3 } from './mp3-decode.ts';
import { MAX_TAKE_SECONDS } from './limits.ts';
import type { IngestResult, StreamFeedMessage, StreamIngestInput } from './types.ts';

interface ByteFeed {
  /** The next chunk, or null once the download ended with exactly the announced bytes. */
  next(): Promise<Uint8Array | null>;
}

/** Turns port messages into an ordered pull; an abort or a short end rejects the pending pull. */
function createByteFeed(port: MessagePort): ByteFeed {
  const queue: StreamFeedMessage[] = [];
  let wake: (() => void) | null = null;
  let received = 0;
  port.on('message', (message: StreamFeedMessage) => {
    queue.push(message);
    wake?.();
  });
  return {
    async next() {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = queue.shift() as StreamFeedMessage;
      if (message.kind === 'abort') throw new IngestError('truncated', 'the download stopped before the end');
      if (message.kind === 'bytes') {
        received += message.bytes.length;
        return message.bytes;
      }
      if (message.bytes !== received)
        throw new IngestError('truncated', `got ${received} of ${message.bytes} bytes`);
      return null;
    },
  };
}

/** A read-at view over the chunks received so far (for the first-frame search). */
function headReader(chunks: readonly Uint8Array[]): { readAt: ReadAt; size: number } {
  const joined = Buffer.concat(chunks);
  const readAt: ReadAt = (position, length) =>
    joined.subarray(Math.min(position, joined.length), Math.min(position + length, joined.length));
  return { readAt, size: joined.length };
}

export async function ingestMp3Stream(
  input: StreamIngestInput & { port: MessagePort },
): Promise<IngestResult> {
  const feed = createByteFeed(input.port);
  try {
    // Hold the head until findFirstFrame has every byte it will look at (or the file ended).
    const head: Uint8Array[] = [];
    let isEnded = false;
    for (;;) {
      const { readAt, size } = headReader(head);
      const needed = firstFrameBytesNeeded(readAt, size);
      if (needed !== null && size >= needed) break;
      const chunk = await feed.next();
      if (!chunk) {
        isEnded = true;
        break;
      }
      head.push(chunk);
    }
    const { readAt, size } = headReader(head);
    if (isEnded && size === 0) throw new IngestError('not_audio', 'file is empty');
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield* head;
      if (isEnded) return;
      for (let chunk = await feed.next(); chunk; chunk = await feed.next()) yield chunk;
    }
    return await decodeMp3({
      outBase: input.outBase,
      maxSeconds: input.maxSeconds ?? MAX_TAKE_SECONDS,
      first: findFirstFrame(readAt, isEnded ? size : input.expectedBytes),
      expectedBytes: input.expectedBytes,
      chunks: chunks(),
    });
  } catch (error) {
    throw toIngestError(error);
  } finally {
    input.port.close();
  }
}
