// Streams lanes' int16 PCM from the cache into the streaming engine like a DAW reads from disk: per
// lane only the chunks the mixer plays next (the window each tick reports), fetched as HTTP ranges
// on the main thread, never the audio thread. The chunk under the playhead goes first, for every
// lane (so a click plays at once); the rest follows in larger ranges. Lanes that need the same
// chunks at the same time share one request (the batch route), so a seek is one round trip, not
// one per lane. The mixer drops chunks behind the playhead and says so, so memory stays bounded by
// the window, not the song.
import { createEmitter } from '../../../shared/emitter.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_RANGES, type BatchRange } from '../../../shared/pcm16-batch.ts';
import type { LaneChange, LaneLoader, LoaderLane } from './lane-loader.ts';
import type { EngineEvent, PlaybackEngine } from './playback-engine.ts';
import { laneChunks, type Segment } from './stream-window.ts';

/** The buffers a range's bytes are read into: one per chunk of the run (each goes to the mixer on its
 * own), reused from the chunks the mixer handed back, so reading makes no garbage. */
export type RangeFetcher = (
  trackId: string,
  range: { start: number; end: number },
  signal: AbortSignal,
  targets: Uint8Array[],
) => Promise<Uint8Array[]>;

/** Reads several tracks' ranges in one request, each into the buffers `into` gives for it: per range
 * those buffers filled, or the error for that lane alone. */
export type BatchFetcher = (
  ranges: BatchRange[],
  signal: AbortSignal,
  into: (part: number, byteLength: number) => Uint8Array[],
) => Promise<Array<Uint8Array[] | Error>>;

/** A streamed lane; `sampleRate` when it differs from the context's (the mixer then steps through it). */
export type StreamLane = LoaderLane & { sampleRate?: number };

/** A lane and the run of its chunks one request brings. */
type Job = [LaneState, number[]];

interface LaneState {
  lane: StreamLane;
  step: number;
  /** Chunks the mixer holds. */
  resident: Set<number>;
  /** Chunks on their way, each with the request that brings it. */
  loading: Map<number, AbortController>;
  failures: number;
  /** The window in this lane's chunks, nearest the playhead first. */
  wanted: number[];
  /** Joining a playing song and not yet holding its chunk at the playhead (LoaderLane.isJoining). */
  isJoining: boolean;
}

export interface StreamReader extends LaneLoader {
  /** Resolves once every lane holds its whole window (offline renders wait for it). */
  filled(): Promise<void>;
  /** Chunk buffers made new, and refilled from the ones the mixer handed back. */
  buffers(): { allocated: number; reused: number };
  /** Windows the mixer's ticks reported, and those that moved into other chunks (acted on). */
  windows(): { ticks: number; applied: number };
}

/** The int16 bytes of `count` of a lane's chunks from `first` (the last chunk may end with the lane). */
export function chunkRunRange(
  lane: Pick<LoaderLane, 'channels' | 'frames'>,
  first: number,
  count: number,
  chunkFrames: number,
): { start: number; end: number } {
  const frameBytes = lane.channels * 2;
  const endFrame = Math.min(lane.frames, (first + count) * chunkFrames);
  return { start: first * chunkFrames * frameBytes, end: endFrame * frameBytes - 1 };
}

const MAX_FAILURES = 3;
/**
 * The first read after a seek brings the chunk under the playhead, and the next one too only when
 * the playhead is in the second half of its chunk: at least half a chunk (93 ms at 44.1 kHz) then
 * plays before the next read must be in (a seek's first read, one or two chunks for every lane,
 * took 5-35 ms in the stream bench while a split ingested). Two chunks every time made a seek's first answer twice as large for
 * a cushion it rarely needed.
 */
export const firstRunChunks = (frameInChunk: number, chunkFrames: number): number =>
  frameInChunk < chunkFrames / 2 ? 1 : 2;
/** Chunks per request once a cushion is built (16 × 0.19 s: one 512 KB read per lane every 3 s). */
const RUN_CHUNKS = 16;
/** Chunks this close to the playhead are read at once, whatever the run (1.5 s at 44.1 kHz). */
const URGENT_CHUNKS = 8;
/** Spare chunk buffers kept for reuse (32 KB each for stereo): about a window's worth for 13 lanes. */
const MAX_SPARE_BUFFERS = 512;
/**
 * After a seek or a press, once the chunks under the playhead are in, the read-ahead waits until the
 * mixer says a sample sounded or reports the playhead moved on or stopped, or at most this long
 * (half a chunk, 93 ms, plays before the next chunk must be in). Begun at once, the read-ahead's first requests (14 MB for
 * 14 lanes) took the host's and the page's CPU in the very milliseconds the sound was due: in traces
 * of seeks the page's main thread sat descheduled for up to 49 ms there, and the mixer's news of
 * the sound waited for it.
 */
const SOUND_HOLD_MS = 25;

export function createStreamReader(
  engine: PlaybackEngine,
  /** `fetchRange` reads int16 bytes of a track's PCM cache (the app's audio route, or a test's server). */
  options: {
    fetchRange: RangeFetcher;
    fetchRanges?: BatchFetcher;
    concurrency?: number;
    /** How long the read-ahead waits for the sound at most (SOUND_HOLD_MS; tests set it). */
    soundHoldMs?: number;
  },
): StreamReader {
  const { fetchRange, fetchRanges } = options;
  const concurrency = options.concurrency ?? 6;
  const soundHoldMs = options.soundHoldMs ?? SOUND_HOLD_MS;
  const chunkFrames = engine.chunkFrames;
  const lanes = new Map<string, LaneState>();
  const events = createEmitter<{ change: LaneChange; filled: void }>();
  let ahead: Segment[] = [];
  /** The window's usual length: a shorter one ends at a loop end or the song's end and will not
   * grow, so its last chunks are read even when they do not make a full run. */
  let fullSpan = 0;
  /** Someone waits for the whole window (an offline render): read every missing chunk at once. */
  let waiters = 0;
  let inFlight = 0;
  /** Requests in flight that bring urgent chunks (the first 1.5 s) of a lane the song waits for, and
   * those that bring chunks beyond: a read beyond waits until both are none (pick). */
  let urgentInFlight = 0;
  let beyondInFlight = 0;
  /** A seek or a press waits for its sound from `focusFrame`: the read-ahead is held (SOUND_HOLD_MS). */
  let isAwaitingSound = false;
  let focusFrame = 0;
  let holdTimer: ReturnType<typeof setTimeout> | null = null;
  let readyLanes = 0;
  let isClosed = false;

  const isFree = (entry: LaneState, index: number | undefined): index is number =>
    index !== undefined && !entry.resident.has(index) && !entry.loading.has(index);

  const shift = 31 - Math.clz32(chunkFrames);
  const chunksOf = (entry: LaneState) =>
    laneChunks(ahead, { frames: entry.lane.frames, step: entry.step, shift });

  /** How many chunks the read of the chunk under the playhead brings (firstRunChunks). */
  const firstRun = (entry: LaneState): number => {
    const frame = Math.floor((ahead[0]?.[0] ?? 0) * entry.step);
    return firstRunChunks((frame & (chunkFrames - 1)) / entry.step, chunkFrames);
  };

  const spanOf = (segments: Segment[]) => segments.reduce((sum, [start, end]) => sum + end - start, 0);

  const setWindow = (segments: Segment[]) => {
    ahead = segments;
    fullSpan = Math.max(fullSpan, spanOf(segments));
    for (const entry of lanes.values()) entry.wanted = chunksOf(entry);
    // A request none of whose chunks is wanted any more, in any lane it serves (a seek left it
    // behind), frees its connection.
    const useful = new Set<AbortController>();
    for (const entry of lanes.values())
      for (const [index, request] of entry.loading) if (entry.wanted.includes(index)) useful.add(request);
    for (const entry of lanes.values())
      for (const request of entry.loading.values()) if (!useful.has(request)) request.abort();
  };

  /** The song waits for this lane: it lacks its chunk at the playhead and is not a lane still
   * joining (the mixer plays on without one; waiting for its first read held every other lane's
   * read-ahead, the read that keeps the song playing). */
  const isWaitingForPlayhead = (e: LaneState) =>
    !e.isJoining && e.failures < MAX_FAILURES && e.wanted.length > 0 && !e.resident.has(e.wanted[0] ?? -1);

  const isFilled = () =>
    [...lanes.values()].every((e) => e.failures >= MAX_FAILURES || e.wanted.every((i) => e.resident.has(i)));

  const report = (laneId: string, error: string | null) => {
    const ready = [...lanes.values()].filter(
      (e) => e.wanted.length === 0 || e.resident.has(e.wanted[0] ?? -1),
    );
    // Only a change in what can play right now is news; chunks further ahead are not.
    if (error === null && ready.length === readyLanes) return;
    readyLanes = ready.length;
    events.emit('change', { laneId, error });
  };

  /**
   * The next range to read: the nearest missing chunk of any lane, with the missing ones after it.
   * The chunks under the playhead come first, for every lane; after them a request brings at most as many chunks as
   * are already queued before it (so a fresh seek builds its cushion fast), up to RUN_CHUNKS; and
   * beyond the urgent second and a half, the missing end of a sliding window waits for a full run
   * instead of trickling one chunk per request (fewer, larger reads, like a DAW refilling half a
   * buffer). Runs cut short by a wrap or by chunks already held are read as they are.
   */
  const pick = (): Job[] | null => {
    const isWindowClosed = spanOf(ahead) < fullSpan;
    // While a lane lacks the chunk under the playhead (a seek, a fresh play), that is all we ask
    // for: the cushion's larger reads would share the host and the connection with it and delay
    // the first sound; then the cushion waits for the sound (holdForSound). Offline renders, which
    // wait for everything anyway, ask for all at once.
    const isSilent = waiters === 0 && (isAwaitingSound || [...lanes.values()].some(isWaitingForPlayhead));
    const depth = isSilent ? 1 : Math.max(0, ...[...lanes.values()].map((e) => e.wanted.length));
    for (let d = 0; d < depth; d++) {
      // Beyond the urgent second and a half, one read at a time and none beside an urgent one: the
      // first 1.5 s of every lane come back sooner, and a seek's refill no longer asks the host for
      // 14 MB at once (for 14 lanes: the urgent reads together, 3.1 MB, then 3.5 MB, then 7 MB).
      if (d >= URGENT_CHUNKS && waiters === 0 && (urgentInFlight > 0 || beyondInFlight > 0)) return null;
      for (const entry of lanes.values()) {
        const first = entry.wanted[d];
        if (entry.failures >= MAX_FAILURES || !isFree(entry, first)) continue;
        const run = [first];
        const limit = d === 0 ? firstRun(entry) : Math.min(RUN_CHUNKS, d);
        while (run.length < limit) {
          const next = entry.wanted[d + run.length];
          if (next !== first + run.length || !isFree(entry, next)) break;
          run.push(next);
        }
        const isWindowEnd = d + run.length === entry.wanted.length;
        if (run.length === limit || d < URGENT_CHUNKS || !isWindowEnd || isWindowClosed || waiters > 0)
          return withSameRun(entry, run, d);
      }
    }
    return null;
  };

  /** The other lanes that want the same chunks at the same place in their windows join the request. */
  const withSameRun = (entry: LaneState, run: number[], depth: number): Job[] => {
    const jobs: Job[] = [[entry, run]];
    if (!fetchRanges) return jobs;
    let bytes = runRange(entry, run).end + 1 - runRange(entry, run).start;
    for (const other of lanes.values()) {
      if (other === entry || other.failures >= MAX_FAILURES || jobs.length >= MAX_BATCH_RANGES) continue;
      if (!run.every((index, k) => other.wanted[depth + k] === index && isFree(other, index))) continue;
      const range = runRange(other, run);
      if (bytes + range.end + 1 - range.start > MAX_BATCH_BYTES) break;
      bytes += range.end + 1 - range.start;
      jobs.push([other, run]);
    }
    return jobs;
  };

  const runRange = ({ lane }: LaneState, run: number[]) =>
    chunkRunRange(lane, run[0] ?? 0, run.length, chunkFrames);

  /**
   * Chunk buffers the mixer handed back (`released`), refilled instead of allocating new ones: the
   * audio thread's heap collects rarely (it allocates almost nothing), so buffers left to it as
   * garbage piled up at 2.3 MB/s of playback for 13 lanes.
   */
  const spare = new Map<number, ArrayBuffer[]>();
  let spareCount = 0;
  const keepSpare = (buffer: ArrayBuffer) => {
    if (spareCount >= MAX_SPARE_BUFFERS || buffer.byteLength === 0) return;
    const list = spare.get(buffer.byteLength) ?? [];
    spare.set(buffer.byteLength, list);
    list.push(buffer);
    spareCount += 1;
  };
  const bufferStats = { allocated: 0, reused: 0 };
  /** A buffer for `bytes` bytes: a spare one when there is one. */
  const takeBuffer = (bytes: number): ArrayBuffer => {
    const reused = spare.get(bytes)?.pop();
    if (!reused) {
      bufferStats.allocated += 1;
      return new ArrayBuffer(bytes);
    }
    bufferStats.reused += 1;
    spareCount -= 1;
    return reused;
  };
  /** The buffers a run is read into, one per chunk (the lane's last chunk may be shorter). */
  const targetsFor = ({ lane }: LaneState, run: number[]): Uint8Array[] =>
    run.map((index) => {
      const frames = Math.min(chunkFrames, lane.frames - index * chunkFrames);
      return new Uint8Array(takeBuffer(Math.max(0, frames) * lane.channels * 2));
    });

  const deliver = (entry: LaneState, run: number[], views: Uint8Array[]) => {
    run.forEach((index, k) => {
      const view = views[k];
      if (!view) return;
      // A seek may have left this chunk behind while it was read: its buffer waits for the next one.
      if (!entry.wanted.includes(index)) return keepSpare(view.buffer as ArrayBuffer);
      engine.putChunk(
        entry.lane.id,
        index,
        new Int16Array(view.buffer, view.byteOffset, view.byteLength >> 1),
        true,
      );
      entry.resident.add(index);
    });
    if (entry.resident.has(entry.wanted[0] ?? -1)) entry.isJoining = false;
    entry.failures = 0;
    report(entry.lane.id, null);
  };

  const fail = (entry: LaneState, error: unknown) => {
    // A missing file stays missing (the audio route's 404, code 'not_found'): say so at once.
    const isPermanent = (error as { code?: unknown }).code === 'not_found';
    entry.failures = isPermanent ? MAX_FAILURES : entry.failures + 1;
    if (entry.failures >= MAX_FAILURES)
      report(entry.lane.id, (error as Error).message || 'its audio could not be loaded');
  };

  /** Whether a request is urgent: its chunks are in a lane's first 1.5 s, for a lane the song waits
   * for (a lane still joining waits on its own, and its slow read holds no one else's). */
  const isUrgent = (jobs: Job[]) =>
    jobs.some(([entry, run]) => !entry.isJoining && entry.wanted.indexOf(run[0] ?? -1) < URGENT_CHUNKS);

  /** One request for every job in it: a plain range for one lane, the batch route for several. */
  const load = async (jobs: Job[]) => {
    const request = new AbortController();
    for (const [entry, run] of jobs) for (const index of run) entry.loading.set(index, request);
    inFlight += 1;
    const isUrgentRead = isUrgent(jobs);
    if (isUrgentRead) urgentInFlight += 1;
    else beyondInFlight += 1;
    try {
      const [only] = jobs;
      const answers =
        jobs.length === 1 && only
          ? [await fetchRange(only[0].lane.trackId, runRange(...only), request.signal, targetsFor(...only))]
          : await (fetchRanges as BatchFetcher)(
              jobs.map(([entry, run]) => ({ trackId: entry.lane.trackId, ...runRange(entry, run) })),
              request.signal,
              (part) => {
                const job = jobs[part];
                return job ? targetsFor(...job) : [];
              },
            );
      if (isClosed) return;
      jobs.forEach(([entry, run], i) => {
        if (lanes.get(entry.lane.id) !== entry) return;
        const answer = answers[i];
        if (Array.isArray(answer)) deliver(entry, run, answer);
        else fail(entry, answer ?? new Error('its audio could not be loaded'));
      });
    } catch (error) {
      if (request.signal.aborted || isClosed) return;
      for (const [entry] of jobs) if (lanes.get(entry.lane.id) === entry) fail(entry, error);
    } finally {
      for (const [entry, run] of jobs)
        for (const index of run) if (entry.loading.get(index) === request) entry.loading.delete(index);
      inFlight -= 1;
      if (isUrgentRead) urgentInFlight -= 1;
      else beyondInFlight -= 1;
      pump();
    }
  };

  const endHold = () => {
    isAwaitingSound = false;
    if (holdTimer !== null) clearTimeout(holdTimer);
    holdTimer = null;
  };

  /** Once every lane holds its chunk under the playhead, the hold on the read-ahead lasts until the
   * sound, or SOUND_HOLD_MS. */
  const holdForSound = () => {
    if (!isAwaitingSound || holdTimer !== null || [...lanes.values()].some(isWaitingForPlayhead)) return;
    holdTimer = setTimeout(() => {
      holdTimer = null;
      isAwaitingSound = false;
      pump();
    }, soundHoldMs);
  };

  const pump = () => {
    holdForSound();
    while (!isClosed && inFlight < concurrency) {
      const next = pick();
      if (!next) break;
      void load(next);
    }
    if (!isClosed && isFilled()) events.emit('filled');
  };

  /**
   * Ticks come every four render quanta (about 86 a second) but a window moves into another chunk
   * only every 32 of them. Acting on each rebuilt every lane's wanted chunks and searched for a read
   * (most of the main thread's garbage while playing), so a tick is acted on only when, for some
   * lane, a segment of the window starts or ends in another chunk than at the last one, or the
   * window stopped or resumed being cut short (a loop or the song's end): what each lane wants
   * depends on nothing else. Reset whenever the window is set another way or the lanes change.
   */
  const bounds: number[] = [];
  let boundsLength = -1;
  const windowStats = { ticks: 0, applied: 0 };
  // Written without iterators or closures per call: this runs on every tick.
  let noted = 0;
  let isMoved = false;
  const note = (value: number) => {
    if (bounds[noted] !== value) isMoved = true;
    bounds[noted++] = value;
  };
  const movesChunks = (segments: Segment[]): boolean => {
    noted = 0;
    isMoved = false;
    let span = 0;
    for (let i = 0; i < segments.length; i++) span += (segments[i]?.[1] ?? 0) - (segments[i]?.[0] ?? 0);
    note(span < fullSpan ? 1 : 0);
    for (const { lane, step } of lanes.values()) {
      for (let i = 0; i < segments.length; i++) {
        const start = segments[i]?.[0] ?? 0;
        const end = segments[i]?.[1] ?? 0;
        const first = Math.floor(start * step);
        const isEmpty = first >= lane.frames || end <= start;
        note(isEmpty ? -1 : first >> shift);
        note(isEmpty ? -1 : Math.min(lane.frames - 1, Math.floor((end - 1) * step)) >> shift);
      }
    }
    if (noted !== boundsLength) isMoved = true;
    boundsLength = noted;
    return isMoved;
  };

  const onReport = (event: EngineEvent) => {
    // The mixer plays on past the focus (a seek into silence never sounds; a lane joining a playing
    // song has no sound of its own to wait for), or is stopped (a seek while stopped): no sound is
    // coming that the read-ahead should make way for.
    if (isAwaitingSound && event.type === 'tick' && (!event.isPlaying || event.position !== focusFrame)) {
      endHold();
      pump();
    }
    if (event.type === 'tick' && event.ahead) {
      windowStats.ticks += 1;
      if (!movesChunks(event.ahead)) return;
      windowStats.applied += 1;
      setWindow(event.ahead);
    } else if (event.type === 'sounding') {
      endHold();
    } else if (event.type === 'released') {
      for (const buffer of event.buffers) keepSpare(buffer);
      for (const [id, indices] of Object.entries(event.chunks)) {
        const entry = lanes.get(id);
        for (const index of indices) entry?.resident.delete(index);
      }
    } else return;
    pump();
  };
  const unsubscribe = engine.on(onReport);

  return {
    add(lane: StreamLane) {
      const rate = engine.context.sampleRate;
      const entry: LaneState = {
        lane,
        step: (lane.sampleRate ?? rate) / rate,
        resident: new Set(),
        loading: new Map(),
        failures: 0,
        wanted: [],
        isJoining: lane.isJoining ?? false,
      };
      entry.wanted = chunksOf(entry);
      lanes.set(lane.id, entry);
      boundsLength = -1;
      pump();
    },
    remove(id) {
      for (const request of lanes.get(id)?.loading.values() ?? []) request.abort();
      lanes.delete(id);
      boundsLength = -1;
    },
    focus(frame) {
      // The mixer reports the exact window (loop included) on its next tick; until then read from
      // the new playhead on, as far as the last window reached.
      const span = spanOf(ahead) || chunkFrames;
      setWindow([[frame, frame + span]]);
      boundsLength = -1;
      endHold();
      isAwaitingSound = true;
      focusFrame = frame;
      pump();
    },
    progress: () => ({ loaded: readyLanes, total: lanes.size }),
    canPlay(id, frame) {
      const entry = lanes.get(id);
      if (!entry) return false;
      const index = Math.floor(frame * entry.step) >> shift;
      const isHeld = (i: number) => i * chunkFrames >= entry.lane.frames || entry.resident.has(i);
      return isHeld(index) && isHeld(index + 1);
    },
    buffers: () => ({ ...bufferStats }),
    windows: () => ({ ...windowStats }),
    onChange: (listener) => events.on('change', listener),
    filled() {
      if (isFilled()) return Promise.resolve();
      waiters += 1;
      const done = new Promise<void>((resolve) => {
        const off = events.on('filled', () => {
          off();
          waiters -= 1;
          resolve();
        });
      });
      pump();
      return done;
    },
    close() {
      isClosed = true;
      endHold();
      unsubscribe();
      for (const entry of lanes.values()) for (const request of entry.loading.values()) request.abort();
      lanes.clear();
      events.clear();
    },
  };
}
