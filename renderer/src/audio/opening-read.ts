// A streaming studio's first read, begun with its AudioContext: every playable lane's first chunk
// (where a fresh session's playhead stands) in one batch, while the mixer's module loads and the
// engine starts. The stream reader can ask only once the engine exists (118-278 ms after the studio
// opened in the stream bench), and a Play pressed the moment the studio could play then waited for
// that read too. The reader's fetchers answer the ranges this read holds from it, once each; what
// its first asking leaves is dropped.
import type { BatchRange } from '../../../shared/pcm16-batch.ts';
import type { LoaderLane } from './lane-loader.ts';
import { chunkRunRange, type BatchFetcher, type RangeFetcher } from './stream-reader.ts';
import { STREAM_CHUNK_FRAMES } from './stream-window.ts';

type Part = Uint8Array[] | Error;
export interface ReaderFetchers {
  fetchRange: RangeFetcher;
  fetchRanges: BatchFetcher;
}

export interface OpeningRead {
  /** `plain`, answering the ranges this read holds from it. */
  serve(plain: ReaderFetchers): ReaderFetchers;
  /** Drops what was not taken (its request too, if nothing was). */
  close(): void;
}

const keyOf = (range: BatchRange) => `${range.trackId}:${range.start}-${range.end}`;

/** Rejects when `signal` aborts, as a fetch does: the reader must not wait on a read it cancelled. */
const orAbort = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  signal.aborted
    ? Promise.reject(signal.reason)
    : new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });

export function startOpeningRead(
  lanes: Array<Pick<LoaderLane, 'trackId' | 'channels' | 'frames'>>,
  fetchRanges: BatchFetcher,
): OpeningRead {
  const request = new AbortController();
  // One range per track (the batch route refuses the same range twice).
  const byKey = new Map<string, BatchRange>();
  for (const lane of lanes) {
    if (!lane.trackId || lane.frames <= 0) continue;
    const range = { trackId: lane.trackId, ...chunkRunRange(lane, 0, 1, STREAM_CHUNK_FRAMES) };
    byKey.set(keyOf(range), range);
  }
  const ranges = [...byKey.values()];
  const answer =
    ranges.length > 0
      ? fetchRanges(ranges, request.signal, (_part, byteLength) => [new Uint8Array(byteLength)])
      : Promise.resolve([]);
  /** Each range's part; a failed request is every part's error (the reader then asks again itself). */
  const held = new Map<string, Promise<Part>>(
    ranges.map((range, i) => [
      keyOf(range),
      answer.then(
        (parts) => parts[i] ?? new Error('its audio could not be loaded'),
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
    ]),
  );
  let wasTaken = false;

  const close = () => {
    if (!wasTaken) request.abort();
    held.clear();
  };
  /** The held parts of `asked` (undefined where none is held); the first asking that takes any ends the read. */
  const take = (asked: BatchRange[]): Array<Promise<Part> | undefined> => {
    const parts = asked.map((range) => held.get(keyOf(range)));
    if (parts.some(Boolean)) {
      wasTaken = true;
      held.clear();
    }
    return parts;
  };

  return {
    serve(plain) {
      return {
        async fetchRange(trackId, range, signal, targets) {
          const [part] = take([{ trackId, ...range }]);
          if (!part) return plain.fetchRange(trackId, range, signal, targets);
          const got = await orAbort(part, signal);
          if (got instanceof Error) throw got;
          return got;
        },
        async fetchRanges(asked, signal, into) {
          const parts = take(asked);
          const missing = asked.flatMap((_range, i) => (parts[i] ? [] : [i]));
          if (missing.length === asked.length) return plain.fetchRanges(asked, signal, into);
          const rest =
            missing.length > 0
              ? plain.fetchRanges(
                  missing.map((i) => asked[i] as BatchRange),
                  signal,
                  (part, byteLength) => into(missing[part] ?? -1, byteLength),
                )
              : Promise.resolve([]);
          const [heldParts, restParts] = await orAbort(
            Promise.all([Promise.all(parts.map((part) => part ?? null)), rest]),
            signal,
          );
          return heldParts.map(
            (part, i) => part ?? restParts[missing.indexOf(i)] ?? new Error('its audio could not be loaded'),
          );
        },
      };
    },
    close,
  };
}
