// Which part of a song a streamed lane holds: the output frames the playhead plays next (following
// the loop) and the lane chunks they fall in. The mixer worklet drops chunks outside it (so memory
// does not grow with the song) and the stream reader fetches the missing ones, nearest first.
import { isLooping, type LoopRegion } from './loop.ts';
import { mixLength, type MixLane, type MixState } from './mix.ts';

/** Streamed chunks are 8192 frames (0.19 s at 44.1 kHz, 32 KB of stereo int16): a seek's first read
 * brings one or two per lane before it sounds, and its bytes are most of its time (the host reads
 * and converts them, Chromium copies them twice). With 16384-frame chunks that read was 0.9-1.8 MB
 * for 14 lanes; reads after it still come in runs of 512 KB per lane (stream-reader.ts). */
export const STREAM_SHIFT = 13;
export const STREAM_CHUNK_FRAMES = 1 << STREAM_SHIFT;
/** How far ahead of the playhead the reader keeps every lane filled. Every second of it is 2.5 MB of
 * the renderer's memory for 14 lanes at 44.1 kHz, but 4 s was not enough where stems join a looping
 * song while their split ingests (the join e2e test: 0-382 underrun blocks a run with 4 s, 0-3 with
 * 6 s; why is not explained yet). */
export const READ_AHEAD_SECONDS = 6;
/** The worklet keeps this much beyond the read-ahead (0.74 s at 44.1 kHz), so a chunk fetched for a
 * playhead a tick old is not dropped the moment it arrives. */
export const KEEP_MARGIN_FRAMES = 32768;

/** Output frames [start, end) in the order they will play. */
export type Segment = [number, number];

/** The next `ahead` output frames from `position`: one segment, or two or three when the loop wraps
 * (a loop shorter than `ahead` is covered once, not repeated). */
export function windowSegments(position: number, ahead: number, loop: LoopRegion, length: number): Segment[] {
  const segments: Segment[] = [];
  const isLoopOn = isLooping(loop);
  let from = position;
  let remaining = ahead;
  while (remaining > 0) {
    const wraps = isLoopOn && from < loop.end;
    const end = Math.min(wraps ? loop.end : length, from + remaining);
    if (end <= from) break;
    segments.push([from, end]);
    remaining -= end - from;
    if (!wraps || end < loop.end || from <= loop.start) break;
    from = loop.start;
  }
  return segments;
}

/** The chunks of a lane that `segments` play, in playing order, each once. */
export function laneChunks(segments: Segment[], lane: Pick<MixLane, 'frames' | 'step' | 'shift'>): number[] {
  const chunks: number[] = [];
  for (const [start, end] of segments) {
    const first = Math.floor(start * lane.step);
    if (first >= lane.frames || end <= start) continue;
    const last = Math.min(lane.frames - 1, Math.floor((end - 1) * lane.step));
    for (let c = first >> lane.shift; c <= last >> lane.shift; c++) if (!chunks.includes(c)) chunks.push(c);
  }
  return chunks;
}

/** Chunks of streamed lanes the mixer holds, per lane id (so eviction never scans a whole song). */
export type ResidentChunks = Map<string, Set<number>>;

/**
 * Drops every streamed chunk outside the next `keep` frames of playback; returns what it dropped and
 * adds the dropped chunks' buffers to `buffers` (handed back to the reader for reuse).
 */
export function evictOutside(
  state: MixState,
  resident: ResidentChunks,
  keep: number,
  buffers: ArrayBuffer[] = [],
): Record<string, number[]> {
  const segments = windowSegments(state.position, keep, state.loop, mixLength(state));
  const released: Record<string, number[]> = {};
  for (const lane of state.lanes) {
    const held = resident.get(lane.id);
    if (!held || held.size === 0) continue;
    const wanted = laneChunks(segments, lane);
    for (const index of held) {
      if (wanted.includes(index)) continue;
      held.delete(index);
      const chunk = lane.chunks[index];
      if (chunk && chunk.byteLength === chunk.buffer.byteLength) buffers.push(chunk.buffer as ArrayBuffer);
      lane.chunks[index] = undefined;
      (released[lane.id] ??= []).push(index);
    }
  }
  return released;
}
