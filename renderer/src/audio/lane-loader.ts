// Streams lanes' int16 PCM into the engine chunk by chunk, nearest the playhead first, with a few
// requests in flight, so play can start after one chunk per lane instead of whole files.
import { createEmitter } from '../../../shared/emitter.ts';
import { AudioFetchError, fetchPcm16Into, PCM_READ_LIMITS } from '../api/audio-url.ts';
import type { TransferLimits } from '../../../shared/transfer-watchdog.ts';
import type { PlaybackEngine } from './playback-engine.ts';
import { CHUNK_FRAMES } from './mix.ts';

export interface LoaderLane {
  id: string;
  trackId: string;
  channels: number;
  frames: number;
  /** It joins a song that is playing and is heard only once its chunk at the playhead is in
   * (studio/use-playback.ts hands it over): until then the song does not wait for it. */
  isJoining?: boolean;
}

export type ChunkFetcher = (trackId: string, range: { start: number; end: number }) => Promise<ArrayBuffer>;

interface LaneProgress {
  lane: LoaderLane;
  chunkCount: number;
  /** Chunk index to 'loading' | 'done'; failures are retried a few times, then the lane reports an error. */
  status: Map<number, 'loading' | 'done'>;
  failures: number;
}

/** A chunk of `laneId` arrived (`error` null), or the lane gave up after repeated failures. */
export interface LaneChange {
  laneId: string;
  error: string | null;
}

export interface LaneLoader {
  add(lane: LoaderLane): void;
  remove(id: string): void;
  /** Loads from this output frame onwards first (call on seek and play). */
  focus(frame: number): void;
  progress(): { loaded: number; total: number };
  /** Whether the mixer holds what lane `id` plays from output frame `frame` on: the chunk there
   * and the next (a lane joining a playing song waits for both, so its next read is not late). */
  canPlay(id: string, frame: number): boolean;
  onChange(listener: (event: LaneChange) => void): () => void;
  close(): void;
}

const MAX_FAILURES = 3;
/** A chunk in a buffer of its own, read like the streaming engine's ranges (under the same watchdog,
 * so a hung host fails the read with a reason instead of holding the lane forever). */
export async function fetchWholeChunk(
  trackId: string,
  range: { start: number; end: number },
  limits: TransferLimits = PCM_READ_LIMITS,
): Promise<ArrayBuffer> {
  const target = new Uint8Array(range.end + 1 - range.start);
  const [filled] = await fetchPcm16Into(trackId, range, new AbortController().signal, [target], limits);
  // The view handed back, not the buffer handed in: a BYOB read detaches the latter.
  return (filled ?? target).buffer as ArrayBuffer;
}

export function createLaneLoader(
  engine: PlaybackEngine,
  options: { fetchChunk?: ChunkFetcher; concurrency?: number } = {},
): LaneLoader {
  const fetchChunk = options.fetchChunk ?? fetchWholeChunk;
  const concurrency = options.concurrency ?? 4;
  const lanes = new Map<string, LaneProgress>();
  const events = createEmitter<{ change: LaneChange }>();
  let focusChunk = 0;
  let inFlight = 0;
  let isClosed = false;

  const pick = (): [LaneProgress, number] | null => {
    const maxChunks = Math.max(0, ...[...lanes.values()].map((l) => l.chunkCount));
    for (let d = 0; d < maxChunks; d++) {
      const index = (focusChunk + d) % maxChunks;
      for (const entry of lanes.values()) {
        if (entry.failures >= MAX_FAILURES || index >= entry.chunkCount || entry.status.has(index)) continue;
        return [entry, index];
      }
    }
    return null;
  };

  const load = async (entry: LaneProgress, index: number) => {
    const { lane } = entry;
    const frameBytes = lane.channels * 2;
    const endFrame = Math.min(lane.frames, (index + 1) * CHUNK_FRAMES);
    entry.status.set(index, 'loading');
    inFlight += 1;
    try {
      const bytes = await fetchChunk(lane.trackId, {
        start: index * CHUNK_FRAMES * frameBytes,
        end: endFrame * frameBytes - 1,
      });
      if (isClosed || lanes.get(lane.id) !== entry) return;
      engine.putChunk(lane.id, index, new Int16Array(bytes, 0, Math.floor(bytes.byteLength / 2)));
      entry.status.set(index, 'done');
      events.emit('change', { laneId: lane.id, error: null });
    } catch (error) {
      entry.status.delete(index);
      // A missing file stays missing: say so at once instead of retrying.
      const isPermanent = error instanceof AudioFetchError && error.code === 'not_found';
      entry.failures = isPermanent ? MAX_FAILURES : entry.failures + 1;
      if (entry.failures >= MAX_FAILURES && lanes.get(lane.id) === entry) {
        const message = (error as Error).message || 'its audio could not be loaded';
        events.emit('change', { laneId: lane.id, error: message });
      }
    } finally {
      inFlight -= 1;
      pump();
    }
  };

  const pump = () => {
    while (!isClosed && inFlight < concurrency) {
      const next = pick();
      if (!next) return;
      void load(...next);
    }
  };

  return {
    add(lane) {
      const chunkCount = Math.ceil(lane.frames / CHUNK_FRAMES);
      lanes.set(lane.id, { lane, chunkCount, status: new Map(), failures: 0 });
      pump();
    },
    remove(id) {
      lanes.delete(id);
    },
    focus(frame) {
      focusChunk = Math.max(0, Math.floor(frame / CHUNK_FRAMES));
      pump();
    },
    progress() {
      let loaded = 0;
      let total = 0;
      for (const entry of lanes.values()) {
        total += entry.chunkCount;
        for (const state of entry.status.values()) if (state === 'done') loaded += 1;
      }
      return { loaded, total };
    },
    canPlay(id, frame) {
      const entry = lanes.get(id);
      const index = Math.floor(frame / CHUNK_FRAMES);
      const isHeld = (i: number) => i >= (entry?.chunkCount ?? 0) || entry?.status.get(i) === 'done';
      return entry !== undefined && isHeld(index) && isHeld(index + 1);
    },
    onChange: (listener) => events.on('change', listener),
    close() {
      isClosed = true;
      lanes.clear();
      events.clear();
    },
  };
}

/** Feeds a lane that is already in memory (a decoded source file, a test signal) in chunk copies. */
export function feedPcm(engine: PlaybackEngine, id: string, data: Int16Array, channels: number): void {
  const chunkSamples = engine.chunkFrames * channels;
  for (let index = 0; index * chunkSamples < data.length; index++) {
    engine.putChunk(id, index, data.slice(index * chunkSamples, (index + 1) * chunkSamples));
  }
}
