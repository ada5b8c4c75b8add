// The studio's PCM reads (renderer/src/api/audio-url.ts) against a real loopback server that stops
// answering: before its headers, after them, or dripping a byte at a time. Each read ends in a
// network error that says why (shared/transfer-watchdog.ts), a seek's own abort still passes as an
// abort, a healthy answer is untouched, and the stream reader names the lane once its retries stall.
// Mocked: only the desktop preload's `window.api`, which here just points audio at this server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type * as AudioUrl from '../../renderer/src/api/audio-url.ts';
import type * as LaneLoader from '../../renderer/src/audio/lane-loader.ts';
import type { PlaybackEngine } from '../../renderer/src/audio/playback-engine.ts';
import { createStreamReader } from '../../renderer/src/audio/stream-reader.ts';
import { BATCH_PATH } from '../../shared/pcm16-batch.ts';
import type { TransferLimits } from '../../shared/transfer-watchdog.ts';

/** Wide apart, so a busy machine's late timers cannot turn one failure into the other. */
const LIMITS: TransferLimits = { stallMs: 400, deadlineMs: 1500, minThroughput: null };
const BYTES = 4096;

let server: Server;
let origin = '';
const open = new Set<ServerResponse>();
// Imported once window.api exists (below): the module reads it as it loads.
let audio: typeof AudioUrl;
let loader: typeof LaneLoader;

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const track = /^\/tracks\/([^/]+)\/pcm16$/.exec(path)?.[1];
    const answer = (status: number) =>
      res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': String(BYTES) });
    if (track === 'silent' || path === BATCH_PATH) return; // never even the headers
    if (track === 'ok') return void (answer(206), res.end(Buffer.alloc(BYTES, 7)));
    answer(206);
    if (track === 'hang') return void res.write(Buffer.alloc(16, 7)); // then nothing
    // 'drip': a byte every 20 ms, never idle long enough for the idle limit; 4 KB would take 80 s.
    const timer = setInterval(() => res.write(Buffer.from([7])), 20);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  (globalThis as Record<string, unknown>).window = { api: { audioBaseUrl: origin } };
  audio = await import('../../renderer/src/api/audio-url.ts');
  loader = await import('../../renderer/src/audio/lane-loader.ts');
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const read = (trackId: string, signal = new AbortController().signal) =>
  audio.fetchPcm16Into(trackId, { start: 0, end: BYTES - 1 }, signal, [new Uint8Array(BYTES)], LIMITS);

/** How a read ended, and after how long. */
async function outcome(reading: Promise<unknown>): Promise<{ ms: number; error: Error | null }> {
  const started = performance.now();
  const error = await reading.then(
    () => null,
    (failure: unknown) => failure as Error,
  );
  return { ms: performance.now() - started, error };
}

describe('a PCM read from a host that stops answering', () => {
  it('fails as a network error that says why when the headers never come', async () => {
    const { error } = await outcome(read('silent'));
    expect(error).toBeInstanceOf(audio.AudioFetchError);
    expect((error as InstanceType<typeof audio.AudioFetchError>).code).toBe('network');
    expect(error?.message).toBe(
      'Loading audio failed: the host stopped sending its audio (nothing for 0.4 s)',
    );
  });

  it('fails the same way when the body stops after its first bytes', async () => {
    const { error } = await outcome(read('hang'));
    expect(error?.message).toBe(
      'Loading audio failed: the host stopped sending its audio (nothing for 0.4 s)',
    );
  });

  it('gives up on a host dripping a byte at a time at the deadline', async () => {
    const { ms, error } = await outcome(read('drip'));
    expect(error?.message).toBe(
      'Loading audio failed: the host sent its audio too slowly (one read took over 1.5 s)',
    );
    expect(ms).toBeGreaterThanOrEqual(LIMITS.deadlineMs - 50);
  });

  it('fails a batch whose answer never comes, for every lane in it', async () => {
    const ranges = [
      { trackId: 'a', start: 0, end: 99 },
      { trackId: 'b', start: 0, end: 99 },
    ];
    const { error } = await outcome(
      audio.fetchPcm16Batch(ranges, new AbortController().signal, () => [new Uint8Array(100)], LIMITS),
    );
    expect(error?.message).toBe(
      'Loading audio failed: the host stopped sending its audio (nothing for 0.4 s)',
    );
  });

  it('passes a seek’s own abort on as an abort, not as a stall', async () => {
    const seek = new AbortController();
    const reading = read('hang', seek.signal);
    setTimeout(() => seek.abort(), 20);
    const { error } = await outcome(reading);
    expect(error).not.toBeNull();
    expect(error?.message).not.toMatch(/stopped sending|too slowly/);
  });

  it('leaves a healthy answer alone', async () => {
    const target = new Uint8Array(BYTES);
    const [filled] = await audio.fetchPcm16Into(
      'ok',
      { start: 0, end: BYTES - 1 },
      new AbortController().signal,
      [target],
      LIMITS,
    );
    expect(filled?.every((byte) => byte === 7)).toBe(true);
  });

  it('guards the whole-song engine’s reads the same way, and leaves its healthy ones alone', async () => {
    const whole = (trackId: string) => loader.fetchWholeChunk(trackId, { start: 0, end: BYTES - 1 }, LIMITS);
    const { error } = await outcome(whole('hang'));
    expect(error?.message).toBe(
      'Loading audio failed: the host stopped sending its audio (nothing for 0.4 s)',
    );
    const { error: slow } = await outcome(whole('drip'));
    expect(slow?.message).toBe(
      'Loading audio failed: the host sent its audio too slowly (one read took over 1.5 s)',
    );
    const bytes = new Uint8Array(await whole('ok'));
    expect(bytes.byteLength).toBe(BYTES);
    expect(bytes.every((byte) => byte === 7)).toBe(true);
  });

  it('the stream reader retries, then names the lane with why', async () => {
    // The mixer is not needed to watch the reader's report: this engine only takes what it is given.
    const engine = {
      chunkFrames: 8192,
      context: { sampleRate: 44100 },
      putChunk: () => undefined,
      on: () => () => undefined,
    } as unknown as PlaybackEngine;
    let asked = 0;
    const reader = createStreamReader(engine, {
      fetchRange: (trackId, range, signal, targets) => {
        asked += 1;
        return audio.fetchPcm16Into(trackId, range, signal, targets, LIMITS);
      },
    });
    const reported = new Promise<{ laneId: string; error: string | null }>((resolve) =>
      reader.onChange((change) => change.error && resolve(change)),
    );
    reader.add({ id: 'drums', trackId: 'hang', channels: 2, frames: 44100 });
    reader.focus(0);
    expect(await reported).toEqual({
      laneId: 'drums',
      error: 'Loading audio failed: the host stopped sending its audio (nothing for 0.4 s)',
    });
    expect(asked).toBe(3);
    reader.close();
  });
});
