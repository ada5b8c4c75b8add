// One request for several lanes' int16 PCM: the wire format of the audio responder's batch route
// (`GET <audio base>/tracks/pcm16?ranges=<id>:<start>-<end>,…`), shared by the host that answers it
// and the stream reader that asks. A seek needs a range from every lane before the first sound, and
// a browser opens at most six HTTP/1.1 connections to one host: thirteen separate ranges take three
// round trips, one batch takes one.
//
// The body is one frame per asked range, in the asked order: an 8-byte header (uint32 LE status,
// uint32 LE length) and `length` bytes. Status 206: the bytes (the end clamped to the file, as a
// single Range is); 404: no such track or no cache; 416: the range starts past the end. One lane's
// fault never fails the others; malformed input fails the whole request with 400.

export interface BatchRange {
  trackId: string;
  /** Byte offsets in the track's int16 view, both inclusive (as an HTTP Range). */
  start: number;
  end: number;
}

export const BATCH_PATH = '/tracks/pcm16';
/** More than a studio has lanes; bounds the work one request can ask for. */
export const MAX_BATCH_RANGES = 64;
/** Asked bytes over all ranges (before clamping): 32 lanes × 8 chunks of 64 KB. */
export const MAX_BATCH_BYTES = 16 * 2 ** 20;
export const PART_HEADER_BYTES = 8;

const ID = /^[A-Za-z0-9-]{1,128}$/;
const RANGE = /^([A-Za-z0-9-]{1,128}):(\d{1,15})-(\d{1,15})$/;

export function batchQuery(ranges: readonly BatchRange[]): string {
  return `ranges=${ranges.map((r) => `${r.trackId}:${r.start}-${r.end}`).join(',')}`;
}

/** The ranges a query string asks for, or why it is refused (the route answers 400). */
export function parseBatchQuery(search: string): BatchRange[] | { error: string } {
  // No URLSearchParams here (shared/ has no DOM or Node): the query is exactly `ranges=<list>`.
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (!query.startsWith('ranges=') || query.includes('&'))
    return { error: 'expected one "ranges" parameter' };
  let list: string;
  try {
    list = decodeURIComponent(query.slice('ranges='.length));
  } catch {
    return { error: 'malformed escape in "ranges"' };
  }
  const items = list.split(',');
  if (items.length > MAX_BATCH_RANGES) return { error: `at most ${MAX_BATCH_RANGES} ranges` };
  const ranges: BatchRange[] = [];
  let total = 0;
  for (const item of items) {
    const [, trackId = '', from = '', to = ''] = RANGE.exec(item) ?? [];
    if (!ID.test(trackId)) return { error: `malformed range "${item.slice(0, 80)}"` };
    const start = Number(from);
    const end = Number(to);
    if (end < start) return { error: `range ends before it starts: "${item}"` };
    // Overlapping ranges of one track are never needed and would let a small query ask for a lot.
    if (ranges.some((r) => r.trackId === trackId && r.start <= end && start <= r.end))
      return { error: `overlapping ranges of ${trackId}` };
    total += end - start + 1;
    if (total > MAX_BATCH_BYTES) return { error: `more than ${MAX_BATCH_BYTES} bytes asked` };
    ranges.push({ trackId, start, end });
  }
  return ranges;
}

/** Frame header for one part. */
export function partHeader(status: number, length: number): Uint8Array {
  const header = new Uint8Array(PART_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, status, true);
  view.setUint32(4, length, true);
  return header;
}
