// Streaming playback (renderer/src/audio/stream-*.ts) under Node: the real worklet engine, mixer core
// and stream reader, reading int16 ranges of real s24le PCM cache files through the real library
// responder over loopback HTTP. Only the audio thread cannot run here: the test stands in for it
// (an AudioWorkletNode whose port is a real MessageChannel to a MixerCore, and a clock it advances
// block by block), so "time" is blocks rendered, never wall-clock. Lanes wanting the same chunks
// share one request through the responder's batch route, as in the app.
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibraryResponder } from '../../electron/core/host/library-files.ts';
import { NO_LOOP, type LoopRegion } from '../../renderer/src/audio/loop.ts';
import { MIXER_NAME } from '../../renderer/src/audio/messages.ts';
import { createMixLane, createMixState, mixBlock, snapGains } from '../../renderer/src/audio/mix.ts';
import { MixerCore, TICK_BLOCKS } from '../../renderer/src/audio/mixer-core.ts';
import {
  createStreamReader,
  type BatchFetcher,
  type RangeFetcher,
} from '../../renderer/src/audio/stream-reader.ts';
import { BATCH_PATH, batchQuery } from '../../shared/pcm16-batch.ts';
import { readBatchParts, readInto } from '../../renderer/src/api/read-into.ts';
import {
  KEEP_MARGIN_FRAMES,
  laneChunks,
  STREAM_CHUNK_FRAMES,
  windowSegments,
} from '../../renderer/src/audio/stream-window.ts';
import { createWorkletEngine } from '../../renderer/src/audio/worklet-engine.ts';
import { startOpeningRead } from '../../renderer/src/audio/opening-read.ts';

const RATE = 44100;
const CHUNK = STREAM_CHUNK_FRAMES;
/** Blocks larger than the worklet's 128 frames (quicker tests), still 4 ticks per chunk. */
const BLOCK = CHUNK / 32;
const AHEAD = 3 * CHUNK;
const SONG_FRAMES = 24 * CHUNK + 777;
const LANES = ['drums', 'bass', 'vocals'];
const loopAt = (start: number, end: number): LoopRegion => ({ isOn: true, start, end });

function noise(frames: number, seed: number): Int16Array {
  let state = seed;
  return Int16Array.from({ length: frames * 2 }, () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state % 60000) - 30000;
  });
}

/** The PCM cache stores s24le; an int16 value v is exactly v << 8, so the int16 view returns v. */
function toS24(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 3);
  samples.forEach((v, i) => {
    bytes[i * 3 + 1] = v & 0xff;
    bytes[i * 3 + 2] = (v >> 8) & 0xff;
  });
  return bytes;
}

/** The lanes' PCM, and a lane's that joins the song while it plays ('late'). */
const signals = new Map([...LANES, 'late'].map((id, i) => [id, noise(SONG_FRAMES, i + 1)]));
let dir = '';
let server: Server;
let origin = '';
/** Every request the reader made, in order: one entry per range, `batch` numbering shared requests. */
const requests: Array<{
  trackId: string;
  start: number;
  end: number;
  batch: number;
  answeredBefore: number;
}> = [];
let batches = 0;
/** Requests answered so far (each request notes how many had been when it was asked). */
let answered = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-stream-'));
  for (const [id, samples] of signals) await writeFile(join(dir, `${id}.pcm`), toS24(samples));
  const respond = createLibraryResponder({
    libraryDir: dir,
    lookup: {
      track: (id) =>
        signals.has(id) ? { isReady: true, localPath: null, pcmPath: join(dir, `${id}.pcm`) } : null,
      taskSource: () => null,
    },
  });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request = { method: req.method ?? 'GET', pathname: url.pathname, search: url.search };
    void respond({ ...request, range: req.headers.range }).then(async (answer) => {
      res.writeHead(answer.status, answer.headers);
      if (answer.body) await pipeline(answer.body, res).catch(() => res.destroy());
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const httpFetch: RangeFetcher = async (trackId, range, signal, targets) => {
  requests.push({ trackId, ...range, batch: 0, answeredBefore: answered });
  const response = await fetch(`${origin}/tracks/${trackId}/pcm16`, {
    headers: { range: `bytes=${range.start}-${range.end}` },
    signal,
  });
  answered += 1;
  if (!response.ok || !response.body)
    throw Object.assign(new Error(`HTTP ${response.status}`), {
      code: response.status === 404 ? 'not_found' : 'http', // as the app's fetchPcm16Into reports it
    });
  // The app's body reader (renderer/src/api/read-into.ts), straight into the reader's buffers.
  return readInto(response.body).fill(targets, Number(response.headers.get('content-length')));
};

/** The app's batch fetcher over the real route; `rename` points a lane at another track id. */
const httpBatch =
  (rename: (trackId: string) => string = (id) => id): BatchFetcher =>
  async (ranges, signal, into) => {
    batches += 1;
    for (const range of ranges) requests.push({ ...range, batch: batches, answeredBefore: answered });
    const asked = ranges.map((range) => ({ ...range, trackId: rename(range.trackId) }));
    const response = await fetch(`${origin}${BATCH_PATH}?${batchQuery(asked)}`, { signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const parts = await readBatchParts(response.body, ranges.length, into);
    answered += 1;
    return parts.map((part) =>
      part.status === 206
        ? part.views
        : Object.assign(new Error(`HTTP ${part.status}`), {
            code: part.status === 404 ? 'not_found' : 'http',
          }),
    );
  };

/** The audio thread's stand-in: the real engine's node port talks to a MixerCore over a MessageChannel. */
async function startStreaming(
  fetchRange: RangeFetcher = httpFetch,
  /** null: the reader has no batch route and asks lane by lane. */
  fetchRanges: BatchFetcher | null = httpBatch(),
  /** The window (frames) and the reader's longest wait for the sound after a seek. */
  options: { ahead?: number; soundHoldMs?: number } = {},
) {
  const channel = new MessageChannel();
  let frame = 0;
  // As the processor does: buffers handed back are transferred, not copied.
  const core = new MixerCore((message, transfer = []) => channel.port2.postMessage(message, transfer), {
    frame: () => frame,
    time: () => frame / RATE,
    rate: RATE,
  });
  channel.port2.onmessage = (event: MessageEvent) => core.handle(event.data);
  const context = {
    sampleRate: RATE,
    get currentTime() {
      return frame / RATE;
    },
    destination: {},
    audioWorklet: { addModule: async () => undefined },
  } as unknown as BaseAudioContext;
  (globalThis as Record<string, unknown>).AudioWorkletNode = function AudioWorkletNode(
    _context: unknown,
    name: string,
  ) {
    expect(name).toBe(MIXER_NAME);
    return { port: channel.port1, connect: () => undefined, disconnect: () => undefined };
  };
  const engine = await createWorkletEngine(context, 'mixer.js', options.ahead ?? AHEAD);
  const reader = createStreamReader(engine, {
    fetchRange,
    fetchRanges: fetchRanges ?? undefined,
    concurrency: 6,
    soundHoldMs: options.soundHoldMs,
  });
  for (const id of LANES) {
    engine.addLane({ id, channels: 2, frames: SONG_FRAMES, sampleRate: RATE });
    engine.setMix(id, { gain: 1, isMuted: false, isSoloed: false });
    reader.add({ id, trackId: id, channels: 2, frames: SONG_FRAMES });
  }
  /** Every message so far has reached the mixer (the transport's window, chunks put before it). */
  const settle = () => engine.sync();
  /** Every lane holds its window: the reader has it, then the mixer has been handed all of it. */
  const fill = async () => {
    await settle();
    await reader.filled();
    await settle();
  };
  const left = new Float32Array(BLOCK);
  const right = new Float32Array(BLOCK);
  const render = () => {
    core.process(left, right);
    frame += BLOCK;
    return [left.slice(), right.slice()];
  };
  const held = () => Math.max(...core.state.lanes.map((lane) => lane.chunks.filter(Boolean).length));
  return { engine, reader, core, render, settle, fill, held, close: () => channel.port1.close() };
}

/** What the whole-song mixer plays from `position` with every lane in memory: the reference. */
function wholeSong(position: number, loop: LoopRegion, blocks: number): Float32Array[] {
  const state = createMixState();
  state.lanes = LANES.map((id) => {
    const lane = createMixLane(id, 2, SONG_FRAMES, 1, 20); // one chunk of 2^20 frames: the whole lane
    lane.chunks = [signals.get(id)];
    return lane;
  });
  state.position = position;
  state.loop = loop;
  state.isPlaying = true;
  snapGains(state);
  const out: Float32Array[] = [];
  for (let b = 0; b < blocks; b++) {
    const l = new Float32Array(BLOCK);
    const r = new Float32Array(BLOCK);
    mixBlock(state, l, r);
    out.push(l, r);
  }
  return out;
}

async function playStreamed(
  stream: Awaited<ReturnType<typeof startStreaming>>,
  blocks: number,
  maxHeld: { value: number },
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let b = 0; b < blocks; b++) {
    await stream.fill();
    out.push(...stream.render());
    maxHeld.value = Math.max(maxHeld.value, stream.held());
  }
  return out;
}

/** A song playing `blocks` into its filled window, whose reader waits up to a minute for a sound
 * (so only the mixer's reports can end the wait, never the 25 ms backstop). */
async function playingWithLongHold(blocks: number) {
  const stream = await startStreaming(httpFetch, httpBatch(), { soundHoldMs: 60_000 });
  stream.engine.play();
  await stream.fill();
  for (let b = 0; b < blocks; b++) stream.render();
  return stream;
}

/** Seeks as the studio does and lets the reader run on its own (as during playback) until its first
 * answer; fill() would make it read everything at once, like an offline render. */
async function seekToFirstAnswer(stream: Awaited<ReturnType<typeof startStreaming>>, target: number) {
  stream.engine.seek(target);
  stream.reader.focus(target);
  await stream.settle();
  const before = answered;
  for (let i = 0; i < 2000 && answered === before; i++) await new Promise((r) => setTimeout(r, 1));
}

describe('stream window', () => {
  it('covers the next frames in playing order, wrapping at the loop end and covering a short loop once', () => {
    expect(windowSegments(100, 50, NO_LOOP, 1000)).toEqual([[100, 150]]);
    expect(windowSegments(980, 50, NO_LOOP, 1000)).toEqual([[980, 1000]]);
    expect(windowSegments(1000, 50, NO_LOOP, 1000)).toEqual([]);
    expect(windowSegments(300, 200, loopAt(200, 400), 1000)).toEqual([
      [300, 400],
      [200, 300],
    ]);
    expect(windowSegments(100, 900, loopAt(200, 400), 1000)).toEqual([[100, 400]]);
    expect(windowSegments(500, 100, loopAt(200, 400), 1000)).toEqual([[500, 600]]);
    expect(windowSegments(300, 50, { ...loopAt(200, 400), isOn: false }, 1000)).toEqual([[300, 350]]);
  });

  it('maps the window onto a lane’s chunks, once each, within the lane', () => {
    const lane = { frames: 10 * 16, step: 1, shift: 4 };
    expect(laneChunks([[40, 70]], lane)).toEqual([2, 3, 4]);
    expect(
      laneChunks(
        [
          [120, 160],
          [0, 40],
        ],
        lane,
      ),
    ).toEqual([7, 8, 9, 0, 1, 2]);
    expect(laneChunks([[150, 400]], lane)).toEqual([9]);
    expect(laneChunks([[40, 70]], { ...lane, step: 2 })).toEqual([5, 6, 7, 8]);
  });
});

describe('streaming playback', () => {
  it('plays sample for sample what the whole-song mixer plays, across a seek and a loop, holding only the window', async () => {
    const stream = await startStreaming();
    const maxHeld = { value: 0 };
    stream.engine.play();
    const fromTop = await playStreamed(stream, 40, maxHeld);
    expect(fromTop).toEqual(wholeSong(0, NO_LOOP, 40));

    const seekTo = 17 * CHUNK + 3000;
    stream.engine.seek(seekTo);
    stream.reader.focus(seekTo);
    const afterSeek = await playStreamed(stream, 30, maxHeld);
    expect(afterSeek).toEqual(wholeSong(seekTo, NO_LOOP, 30));

    const loop = loopAt(5 * CHUNK + 100, 9 * CHUNK + 4321);
    stream.engine.setLoop(loop);
    stream.engine.seek(8 * CHUNK);
    stream.reader.focus(8 * CHUNK);
    const looped = await playStreamed(stream, 300, maxHeld);
    expect(looped).toEqual(wholeSong(8 * CHUNK, loop, 300));

    // Bounded by the window (plus its margin and the chunk being played), not by the song.
    expect(maxHeld.value).toBeLessThanOrEqual((AHEAD + KEEP_MARGIN_FRAMES) / CHUNK + 2);
    // Dropped chunks' buffers came back from the mixer and were refilled: after the first windows,
    // new buffers are the exception (the audio thread never has to collect streamed PCM).
    const { allocated, reused } = stream.reader.buffers();
    expect(reused).toBeGreaterThan(allocated);
    expect(allocated).toBeLessThanOrEqual(LANES.length * ((AHEAD + KEEP_MARGIN_FRAMES) / CHUNK + 4));
    expect(maxHeld.value).toBeLessThan(SONG_FRAMES / CHUNK / 2);
    expect(stream.core.underruns).toBe(0);
    stream.reader.close();
    stream.close();
  });

  it.each([
    ['every lane', LANES],
    ['some lanes (one became playable after it began)', LANES.slice(0, 2)],
  ])('answers the first read from the opening read begun before the engine: %s', async (_case, early) => {
    requests.length = 0;
    const opening = startOpeningRead(
      early.map((id) => ({ trackId: id, channels: 2, frames: SONG_FRAMES })),
      httpBatch(),
    );
    const openingBatch = batches;
    const served = opening.serve({ fetchRange: httpFetch, fetchRanges: httpBatch() });
    const stream = await startStreaming(served.fetchRange, served.fetchRanges);
    stream.engine.play();
    const played = await playStreamed(stream, 40, { value: 0 });
    expect(played).toEqual(wholeSong(0, NO_LOOP, 40));
    // Each lane's first chunk was asked once: by the opening read for the lanes it had, by the
    // reader for the others only.
    const firstChunks = requests.filter((r) => r.start === 0);
    expect(firstChunks.map((r) => r.trackId).sort()).toEqual([...LANES].sort());
    for (const request of firstChunks)
      expect(request.batch === openingBatch).toBe(early.includes(request.trackId));
    opening.close();
    stream.reader.close();
    stream.close();
  });

  it('drops the opening read when the studio closes before its engine starts, not once the reader took it', async () => {
    // A producer who opens a studio and leaves at once: the read is cancelled, and nothing it
    // leaves behind rejects unhandled.
    const signals: AbortSignal[] = [];
    const watched: BatchFetcher = (ranges, signal, into) => (
      signals.push(signal),
      httpBatch()(ranges, signal, into)
    );
    const lanes = LANES.map((id) => ({ trackId: id, channels: 2, frames: SONG_FRAMES }));
    startOpeningRead(lanes, watched).close();
    expect(signals[0]?.aborted).toBe(true);

    const opening = startOpeningRead(lanes, watched);
    const served = opening.serve({ fetchRange: httpFetch, fetchRanges: httpBatch() });
    const ranges = lanes.map((lane) => ({ trackId: lane.trackId, start: 0, end: CHUNK * 4 - 1 }));
    const parts = await served.fetchRanges(ranges, new AbortController().signal, () => []);
    opening.close();
    expect(signals[1]?.aborted).toBe(false);
    expect(parts.map((part) => (Array.isArray(part) ? part[0]?.byteLength : part))).toEqual(
      lanes.map(() => CHUNK * 4),
    );
  });

  it('acts on a tick only when the window moves into other chunks (ticks come every 8 blocks)', async () => {
    // Every tick used to rebuild every lane's wanted chunks and search for a read: at 86 ticks a
    // second that was most of the main thread's garbage while playing (V8 sampling: 0.8 of 1.3 MB/s).
    const stream = await startStreaming();
    stream.engine.play();
    await stream.fill();
    const before = stream.reader.windows();
    const chunks = 8;
    for (let b = 0; b < (chunks * CHUNK) / BLOCK; b++) {
      await stream.fill();
      stream.render();
    }
    await stream.settle();
    const after = stream.reader.windows();
    const ticks = after.ticks - before.ticks;
    const applied = after.applied - before.applied;
    expect(ticks).toBeGreaterThanOrEqual((chunks * CHUNK) / BLOCK / TICK_BLOCKS);
    // Per chunk played, one when the playhead leaves it and one when the window's end enters the
    // next (here a tick apart), no more; acting on every tick would be all of them.
    expect(applied).toBeGreaterThanOrEqual(chunks);
    expect(applied).toBeLessThanOrEqual(2 * chunks + 1);
    expect(ticks).toBeGreaterThan(2 * chunks + 1);
    expect(stream.core.underruns).toBe(0);
    stream.reader.close();
    stream.close();
  });

  it('says a lane can play from a frame once the mixer holds the chunk there and the next', async () => {
    // What a lane joining a playing song waits for before it is heard (studio/use-playback.ts).
    const stream = await startStreaming();
    expect(stream.reader.canPlay('drums', 0)).toBe(false);
    await stream.fill();
    expect(stream.reader.canPlay('drums', 0)).toBe(true);
    expect(stream.reader.canPlay('drums', AHEAD - 2 * CHUNK)).toBe(true);
    // The window's last chunk: the one after it is not held yet.
    expect(stream.reader.canPlay('drums', AHEAD - CHUNK)).toBe(false);
    expect(stream.reader.canPlay('no such lane', 0)).toBe(false);
    // The lane's last chunk has no next one to wait for.
    const last = SONG_FRAMES - 10;
    stream.engine.seek(last);
    stream.reader.focus(last);
    await stream.fill();
    expect(stream.reader.canPlay('drums', last)).toBe(true);
    stream.reader.close();
    stream.close();
  });

  it('while playing on, never asks again for the chunk the playhead just left', async () => {
    // The mixer used to say a chunk was dropped before saying the window had moved on: the reader,
    // still on the old window, saw that chunk missing at its head and asked every lane for it
    // again, at every chunk boundary (cancelled a tick later, after the host had started on it).
    const asked: Array<{ chunk: number; playing: number }> = [];
    let position = () => 0;
    const note = (start: number) =>
      asked.push({ chunk: Math.floor(start / (CHUNK * 4)), playing: position() });
    const batch = httpBatch();
    const stream = await startStreaming(
      (trackId, range, signal, targets) => (note(range.start), httpFetch(trackId, range, signal, targets)),
      (ranges, signal, into) => {
        for (const range of ranges) note(range.start);
        return batch(ranges, signal, into);
      },
    );
    position = () => Math.floor(stream.core.state.position / CHUNK);
    stream.engine.play();
    await stream.fill();
    asked.length = 0;
    for (let b = 0; b < (8 * CHUNK) / BLOCK; b++) {
      await stream.fill();
      stream.render();
    }
    await stream.settle();
    // The window's end was read as the playhead moved (so requests were watched), never behind it.
    expect(asked.length).toBeGreaterThanOrEqual(8);
    expect(asked.filter(({ chunk, playing }) => chunk < playing)).toEqual([]);
    expect(stream.core.underruns).toBe(0);
    stream.reader.close();
    stream.close();
  });

  it.each([
    ['at the start of a chunk: that chunk', 5, 1],
    ['late in a chunk: that chunk and the next', Math.round(0.7 * CHUNK), 2],
  ])('after a seek %s, every lane in one request before anything else', async (_case, offset, chunks) => {
    const stream = await startStreaming();
    await stream.fill();
    requests.length = 0;
    await seekToFirstAnswer(stream, 20 * CHUNK + offset);
    await stream.fill();
    const first = requests.filter((r) => r.batch === requests[0]?.batch);
    expect(requests[0]?.batch).toBeGreaterThan(0);
    expect(first.map((r) => r.trackId).sort()).toEqual([...LANES].sort());
    for (const request of first) {
      expect(request.start).toBe(20 * CHUNK * 4);
      expect(request.end).toBe((20 + chunks) * CHUNK * 4 - 1);
    }
    // Nothing else was asked until the chunks at the target had come: they had the host to themselves.
    const later = requests.filter((r) => r.batch !== requests[0]?.batch);
    expect(later.length).toBeGreaterThan(0);
    for (const request of later)
      expect(request.answeredBefore).toBeGreaterThan(requests[0]?.answeredBefore ?? 0);
    // The whole refill went in shared requests: fewer requests than lane-runs.
    expect(new Set(requests.map((r) => r.batch)).size).toBeLessThan(requests.length / 2);
    stream.reader.close();
    stream.close();
  });

  it('after a seek while playing, reads nothing but the chunks at the target until the mixer says they sound', async () => {
    // Begun at once, the read-ahead's first requests (14 MB for 14 lanes in the app) took the host's
    // and the page's CPU in the milliseconds the sound was due (stream-reader.ts, SOUND_HOLD_MS).
    const stream = await playingWithLongHold(8);
    requests.length = 0;
    await seekToFirstAnswer(stream, 12 * CHUNK + 5);
    // The chunks are handed to the mixer; the reader has had time to ask for more, and has not.
    await stream.settle();
    await new Promise((r) => setTimeout(r, 50));
    expect(new Set(requests.map((r) => r.batch)).size).toBe(1);
    expect(requests.map((r) => r.start)).toEqual(LANES.map(() => 12 * CHUNK * 4));
    // The mixer plays the target (its first block is heard): the read-ahead begins.
    stream.render();
    await stream.settle();
    for (let i = 0; i < 2000 && requests.length === LANES.length; i++)
      await new Promise((r) => setTimeout(r, 1));
    expect(requests.filter((r) => r.start > 12 * CHUNK * 4).length).toBeGreaterThan(0);
    await stream.fill();
    expect(stream.core.underruns).toBe(0);
    stream.reader.close();
    stream.close();
  });

  it('reads ahead after a seek while stopped: the mixer says it is stopped, no sound will come', async () => {
    const stream = await startStreaming(httpFetch, httpBatch(), { soundHoldMs: 60_000 });
    await stream.fill();
    requests.length = 0;
    const target = 9 * CHUNK;
    stream.engine.seek(target);
    stream.reader.focus(target);
    for (let i = 0; i < 4000 && !requests.some((r) => r.start > target * 4); i++)
      await new Promise((r) => setTimeout(r, 1));
    expect(requests.filter((r) => r.start === target * 4)).toHaveLength(LANES.length);
    expect(requests.some((r) => r.start > target * 4)).toBe(true);
    stream.reader.close();
    stream.close();
  });

  it('reads ahead when the focus moves with no sound to wait for: a lane joining a playing song', async () => {
    // studio/use-playback.ts focuses the reader on the playhead when a lane joins; the mixer is
    // already sounding, so only its next report (the playhead moved on) can end the wait.
    const stream = await playingWithLongHold(TICK_BLOCKS);
    await stream.settle();
    stream.reader.focus(stream.engine.position());
    requests.length = 0;
    // Play on, as the audio thread does, until the window's end is read again.
    for (let b = 0; b < (2 * CHUNK) / BLOCK && requests.length === 0; b++) {
      stream.render();
      await stream.settle();
      for (let i = 0; i < 50 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
    }
    expect(requests.length).toBeGreaterThan(0);
    expect(stream.core.underruns).toBe(0);
    stream.reader.close();
    stream.close();
  });

  it('reads beyond the urgent 1.5 s one request at a time, never beside an urgent read', async () => {
    // With a 6 s window a seek's refill asked the host for 31 chunks per lane at once; now the
    // first 1.5 s come in parallel and the rest one request after another.
    const urgentChunks = 8;
    const window = 20;
    let open = 0;
    const started: Array<{ first: number; chunks: number; openBeside: number }> = [];
    const batch = httpBatch();
    const stream = await startStreaming(
      httpFetch,
      async (ranges, signal, into) => {
        const first = (ranges[0]?.start ?? 0) / (CHUNK * 4);
        const chunks = ((ranges[0]?.end ?? 0) + 1 - (ranges[0]?.start ?? 0)) / (CHUNK * 4);
        started.push({ first, chunks, openBeside: open });
        open += 1;
        try {
          return await batch(ranges, signal, into);
        } finally {
          open -= 1;
        }
      },
      { ahead: window * CHUNK },
    );
    // The studio opens (stopped at the top): the reader fills the window on its own, up to its last
    // full run of 16 chunks (the window's end waits for a full run: 1 + 1 + 2 + 4 + 8 chunks).
    for (let i = 0; i < 5000 && stream.held() < 16; i++) await new Promise((r) => setTimeout(r, 1));
    expect(stream.held()).toBe(16);
    const urgent = started.filter((s) => s.first < urgentChunks);
    const beyond = started.filter((s) => s.first >= urgentChunks);
    expect(beyond.length).toBeGreaterThan(0);
    expect(beyond.map((s) => s.openBeside)).toEqual(beyond.map(() => 0));
    // The urgent ones did go together (the rule is not one request at a time for everything).
    expect(Math.max(...urgent.map((s) => s.openBeside))).toBeGreaterThan(0);
    stream.reader.close();
    stream.close();
  });

  it('ignores a tick the mixer sent before a seek: it would pull the reader back and cancel the seek’s read', async () => {
    const stream = await startStreaming();
    stream.engine.play();
    await stream.fill();
    requests.length = 0;
    // The fourth block's tick (the playhead near the top) is on its way when the producer clicks.
    for (let b = 0; b < 4; b++) stream.render();
    const target = 15 * CHUNK;
    stream.engine.seek(target);
    stream.reader.focus(target);
    await stream.fill();
    const atTarget = requests.filter((r) => r.start === target * 4);
    expect(atTarget.map((r) => r.trackId).sort()).toEqual([...LANES].sort());
    expect(stream.engine.position()).toBe(target);
    stream.reader.close();
    stream.close();
  });

  it('without the batch route, asks each lane for the chunks at the target before anything else', async () => {
    const stream = await startStreaming(httpFetch, null);
    await stream.fill();
    requests.length = 0;
    const target = 20 * CHUNK + 5;
    stream.engine.seek(target);
    stream.reader.focus(target);
    await stream.fill();
    const firstPerLane = requests.slice(0, LANES.length);
    expect(firstPerLane.map((r) => r.trackId).sort()).toEqual([...LANES].sort());
    for (const request of firstPerLane) {
      expect(request.batch).toBe(0);
      expect(request.start).toBe(20 * CHUNK * 4);
      expect(request.end).toBe(21 * CHUNK * 4 - 1);
    }
    stream.reader.close();
    stream.close();
  });

  it('counts an underrun when a lane’s chunk is late, keeps every lane waiting together, then resumes in sync', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const lateChunk = 4;
    const isLate = (trackId: string, range: { start: number; end: number }) =>
      trackId === 'bass' && range.start <= lateChunk * CHUNK * 4 && range.end >= lateChunk * CHUNK * 4;
    const gated: RangeFetcher = async (trackId, range, signal, targets) => {
      if (isLate(trackId, range)) await gate;
      return httpFetch(trackId, range, signal, targets);
    };
    const batch = httpBatch();
    const gatedBatch: BatchFetcher = async (ranges, signal, into) => {
      if (ranges.some((range) => isLate(range.trackId, range))) await gate;
      return batch(ranges, signal, into);
    };
    const stream = await startStreaming(gated, gatedBatch);
    stream.engine.play();
    const out: Float32Array[] = [];
    let stalledBlocks = 0;
    // Until the late chunk enters the window every block waits for a full window; after that the
    // test renders on while it is held back, as the audio thread would.
    while (stream.core.state.position < (lateChunk + 1) * CHUNK && out.length < 1000) {
      if (stream.core.state.position + AHEAD < lateChunk * CHUNK) await stream.fill();
      else await stream.settle();
      const before = stream.core.state.position;
      const block = stream.render();
      if (stream.core.state.position === before) stalledBlocks += 1;
      else out.push(...block);
      if (stalledBlocks === 3) release();
    }
    expect(stalledBlocks).toBeGreaterThanOrEqual(3);
    expect(stream.core.underruns).toBe(stalledBlocks);
    expect(out).toEqual(wholeSong(0, NO_LOOP, out.length / 2));
    stream.reader.close();
    stream.close();
  });

  it('keeps every playing lane reading ahead while a lane that joins the song waits for its reads', async () => {
    // A lane that becomes playable while the song plays (a stem just decoded) joins silently and is
    // heard once its chunk at the playhead is in (studio/use-playback.ts). Its missing chunk used to
    // count as the song waiting for sound, when the reader reads nothing but chunks at the playhead:
    // while the joining lane's reads were slow or failing, every other lane's read-ahead stopped
    // and the song ran dry.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let joinerReads = 0;
    const stream = await startStreaming(async (trackId, range, signal, targets) => {
      if (trackId === 'late') {
        joinerReads += 1;
        await gate;
      }
      return httpFetch(trackId, range, signal, targets);
    });
    stream.engine.play();
    await stream.fill();
    for (let b = 0; b < CHUNK / BLOCK; b++) stream.render();
    stream.engine.addLane({ id: 'late', channels: 2, frames: SONG_FRAMES, sampleRate: RATE });
    stream.engine.setMix('late', { gain: 0, isMuted: true, isSoloed: false });
    stream.reader.add({ id: 'late', trackId: 'late', channels: 2, frames: SONG_FRAMES, isJoining: true });
    await stream.settle();
    const start = stream.core.state.position;
    /** Whether the playing lanes hold at least a chunk's worth of playback ahead (a third of their
     * window): what keeps a song playing through a slow read. */
    const othersHoldCushion = () => {
      const segments = windowSegments(stream.core.state.position, CHUNK, NO_LOOP, SONG_FRAMES);
      const wanted = laneChunks(segments, { frames: SONG_FRAMES, step: 1, shift: Math.log2(CHUNK) });
      return LANES.every((id) => wanted.every((index) => stream.core.lane(id)?.chunks[index] !== undefined));
    };
    // Three windows of playback while the joining lane's reads are held back. Before each block
    // the reader gets up to 2 s to have that cushion read (real reads over loopback, on a busy CI
    // machine too); once it has not, the rest is rendered at once (an audio thread does not wait).
    const blocks = (3 * AHEAD) / BLOCK;
    const out: Float32Array[] = [];
    let isWaiting = true;
    for (let b = 0; b < blocks; b++) {
      await stream.settle();
      for (let i = 0; isWaiting && i < 2000 && !othersHoldCushion(); i++)
        await new Promise((resolve) => setTimeout(resolve, 1));
      isWaiting &&= othersHoldCushion();
      out.push(...stream.render());
    }
    expect(isWaiting).toBe(true);
    expect(joinerReads).toBeGreaterThan(0);
    expect(stream.core.underruns).toBe(0);
    expect(out).toEqual(wholeSong(start, NO_LOOP, blocks));
    release();
    await stream.fill();
    expect(stream.reader.canPlay('late', stream.core.state.position)).toBe(true);
    stream.reader.close();
    stream.close();
  });

  it('says which lane failed when its PCM cannot be read, at once for a missing file', async () => {
    requests.length = 0;
    const failing: RangeFetcher = (trackId, range, signal, targets) =>
      httpFetch(trackId === 'vocals' ? 'missing' : trackId, range, signal, targets);
    const stream = await startStreaming(
      failing,
      httpBatch((id) => (id === 'vocals' ? 'missing' : id)),
    );
    const failure = await new Promise<{ laneId: string; error: string | null }>((resolve) =>
      stream.reader.onChange((change) => change.error && resolve(change)),
    );
    expect(failure).toEqual({ laneId: 'vocals', error: 'HTTP 404' });
    // A missing file is not retried: what was asked had all been sent before the first 404 came
    // back (two ranges in flight for the lane), and nothing is asked later, even at a new playhead.
    const asked = requests.filter((r) => r.trackId === 'vocals').length;
    expect(asked).toBeLessThanOrEqual(2);
    stream.engine.seek(10 * CHUNK);
    stream.reader.focus(10 * CHUNK);
    await stream.fill();
    expect(requests.filter((r) => r.trackId === 'vocals')).toHaveLength(asked);
    // The other lanes shared those requests and still play.
    expect(requests.some((r) => r.trackId === 'drums' && r.batch > 0)).toBe(true);
    stream.reader.close();
    stream.close();
  });
});
