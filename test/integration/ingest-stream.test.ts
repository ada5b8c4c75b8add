// Decode while downloading (issue 11 §4): a stem decoded from its bytes as they arrive is byte for
// byte what download-then-decode gives (PCM cache, peaks, sample count), and a cut or refused
// transfer leaves no cache behind, also when a retry follows. Real parts: loopback HTTP, a temp-file
// store, the decode worker pool; ffmpeg only makes a test file with a LAME/Xing header.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngestor, type Ingestor } from '../../electron/core/audio/index.ts';
import { createDownloader, type DownloaderOptions } from '../../electron/core/pipeline/downloader.ts';
import { stemTrack } from '../../shared/kie/tracks.ts';
import { createTempStore, insertTestTask } from '../helpers/temp-store.ts';
import { encodeToneMp3 } from '../helpers/tone-mp3.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const FFMPEG = '/usr/bin/ffmpeg';

/** An ID3v2 tag bigger than the first-frame scan window, so the streamed head must wait for it. */
function id3Tag(bytes: number): Buffer {
  const size = bytes - 10;
  const header = Buffer.from([
    0x49,
    0x44,
    0x33,
    3,
    0,
    0,
    (size >> 21) & 127,
    (size >> 14) & 127,
    (size >> 7) & 127,
    size & 127,
  ]);
  return Buffer.concat([header, Buffer.alloc(size, 0)]);
}

async function ffmpegMp3(dir: string): Promise<Buffer | null> {
  if (!existsSync(FFMPEG)) return null;
  const path = join(dir, 'xing.mp3');
  const args = ['-v', 'error', '-f', 'lavfi', '-i', 'anoisesrc=color=pink:duration=7:seed=3', '-ac', '2'];
  spawnSync(FFMPEG, [...args, '-b:a', '192k', path]);
  return readFile(path);
}

interface Serving {
  body: Buffer;
  /** On these hits (1-based), the connection drops after this many bytes. */
  cut?: { hits: number[]; after: number };
}

/** Serves each body in small odd-sized writes, one per event-loop turn, as a network would. */
async function startDripServer(files: Record<string, Serving>) {
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res: ServerResponse) => {
    const file = files[req.url ?? ''];
    if (!file) return void res.writeHead(404).end();
    const hit = (hits.get(req.url ?? '') ?? 0) + 1;
    hits.set(req.url ?? '', hit);
    const end = file.cut?.hits.includes(hit) ? file.cut.after : file.body.length;
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': file.body.length });
    let sent = 0;
    const next = () => {
      if (res.destroyed) return;
      if (sent >= end) return void (end < file.body.length ? res.destroy() : res.end());
      const size = Math.min(end - sent, 4099 + (sent % 7919));
      res.write(file.body.subarray(sent, sent + size));
      sent += size;
      setImmediate(next);
    };
    next();
  });
  server.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function sharedIngestor(): Ingestor {
  const ingestor = createIngestor({ workers: 1, streamWorkers: 1 });
  cleanups.push(() => ingestor.close());
  return ingestor;
}

/** Downloads one URL into a fresh library, streaming the decode or decoding after; returns the track. */
async function download(
  url: string,
  mode: 'stream' | 'after',
  ingestor: Ingestor,
  extra: Partial<DownloaderOptions> & { durationSec?: number } = {},
) {
  const temp = createTempStore();
  cleanups.push(() => temp.cleanup());
  const { store } = temp;
  const task = insertTestTask(store, { kind: 'split_stem' });
  const at = Date.now();
  const { trackId } = store.tracks.merge(
    task.id,
    stemTrack('vocals', 'unused', null, extra.durationSec ?? null),
    false,
    'callback',
    at,
  );
  store.downloads.enqueue(trackId, url, at);
  let streams = 0;
  const downloader = createDownloader({
    store,
    libraryDir: join(temp.dir, 'library'),
    allowLoopback: true,
    backoffBaseMs: 1,
    ...(mode === 'stream'
      ? {
          // The file path must not be taken: everything comes from the streamed decode.
          ingest: () => Promise.reject(new Error('decoded after the download')),
          ingestStream: (input) => (streams++, ingestor.ingestStream(input)),
        }
      : { ingest: (input) => ingestor.ingest(input) }),
    ...extra,
  });
  cleanups.push(() => downloader.stop());
  downloader.start();
  for (;;) {
    await downloader.idle();
    const row = store.downloads.forTrack(trackId);
    if (row?.state !== 'queued') break;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, (row.next_attempt_at ?? 0) - Date.now())));
  }
  const taskDir = join(temp.dir, 'library', task.id);
  // Track ids differ between libraries: compare what kinds of file are left (.mp3, .pcm, .part …).
  const files = existsSync(taskDir)
    ? (await readdir(taskDir)).map((f) => f.slice(f.indexOf('.'))).sort()
    : [];
  return { track: store.tracks.get(trackId), row: store.downloads.forTrack(trackId), files, streams };
}

async function outputs(
  track: { pcm_path: string | null; peaks_path: string | null; sample_count: number | null } | undefined,
) {
  return {
    pcm: await readFile(track?.pcm_path ?? ''),
    peaks: await readFile(track?.peaks_path ?? ''),
    sampleCount: track?.sample_count,
  };
}

describe('decode while downloading', () => {
  it('gives the same PCM cache, peaks and sample count as download-then-decode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stemhook-stream-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const tagged = Buffer.concat([id3Tag(100_000), encodeToneMp3({ kind: 'noise', seconds: 6, seed: 5 })]);
    const xing = await ffmpegMp3(dir);
    const files: Record<string, Serving> = { '/tagged.mp3': { body: tagged } };
    if (xing) files['/xing.mp3'] = { body: xing };
    const base = await startDripServer(files);
    const ingestor = sharedIngestor();
    for (const path of Object.keys(files)) {
      const streamed = await download(`${base}${path}`, 'stream', ingestor);
      const after = await download(`${base}${path}`, 'after', ingestor);
      expect(streamed.streams).toBe(1);
      expect(streamed.track?.state).toBe('ready');
      expect(after.track?.state).toBe('ready');
      const [a, b] = [await outputs(streamed.track), await outputs(after.track)];
      expect(a.sampleCount).toBeGreaterThan(44100 * 5);
      expect(a.sampleCount).toBe(b.sampleCount);
      expect(a.pcm.equals(b.pcm)).toBe(true);
      expect(a.peaks.equals(b.peaks)).toBe(true);
      expect(streamed.files).toEqual(['.mp3', '.pcm', '.peaks']);
      expect(after.files).toEqual(streamed.files);
    }
    // Also the worker's own answer for the finished file: nothing differs but the timing.
    const reference = join(dir, 'tagged.mp3');
    await writeFile(reference, tagged);
    const direct = await ingestor.ingest({ mp3Path: reference, outBase: join(dir, 'tagged') });
    const streamed = await download(`${base}/tagged.mp3`, 'stream', ingestor);
    expect((await readFile(direct.pcmPath)).equals(await readFile(streamed.track?.pcm_path ?? ''))).toBe(
      true,
    );
  });

  it('leaves no cache and no file when the transfer is cut and never completes', async () => {
    const body = Buffer.from(encodeToneMp3({ kind: 'noise', seconds: 6 }));
    const base = await startDripServer({ '/cut.mp3': { body, cut: { hits: [1], after: 60_000 } } });
    const result = await download(`${base}/cut.mp3`, 'stream', sharedIngestor(), { maxAttempts: 1 });
    expect(result.streams).toBe(1);
    expect(result.row?.state).toBe('failed');
    expect(result.track?.state).toBe('error');
    expect(result.track?.error).toMatch(/cut short/);
    expect(result.files).toEqual([]);
  });

  it('restarts the decode cleanly when a cut transfer is retried', async () => {
    const body = Buffer.from(encodeToneMp3({ kind: 'noise', seconds: 6, seed: 9 }));
    const base = await startDripServer({
      '/flaky.mp3': { body, cut: { hits: [1, 2], after: 70_000 } },
      '/whole.mp3': { body },
    });
    const ingestor = sharedIngestor();
    const retried = await download(`${base}/flaky.mp3`, 'stream', ingestor);
    const clean = await download(`${base}/whole.mp3`, 'after', ingestor);
    expect(retried.streams).toBe(3);
    expect(retried.row).toMatchObject({ state: 'done', attempts: 3 });
    const [a, b] = [await outputs(retried.track), await outputs(clean.track)];
    expect(a.pcm.equals(b.pcm)).toBe(true);
    expect(a.peaks.equals(b.peaks)).toBe(true);
    expect(a.sampleCount).toBe(b.sampleCount);
    expect(retried.files).toEqual(clean.files);
  });

  it('stops a decode bomb while it streams and keeps nothing', async () => {
    // KIE announced 2 s (limit 2 * 1.5 + 15 = 18 s); the file holds 25 s.
    const long = Buffer.from(encodeToneMp3({ seconds: 25, channels: 1, kbps: 32 }));
    const base = await startDripServer({ '/long.mp3': { body: long } });
    const result = await download(`${base}/long.mp3`, 'stream', sharedIngestor(), { durationSec: 2 });
    expect(result.streams).toBe(1);
    expect(result.row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(result.track?.error).toMatch(/runs longer than 18 s/);
    expect(result.files).toEqual([]);
  });
});
