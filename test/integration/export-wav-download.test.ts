// The downloader's WAV path (results of KIE's WAV conversion): a WAV task's file is sniffed as WAV,
// stored as `.wav` and ingested by the WAV reader; a web page is refused in plain words; MP3 tasks
// still refuse anything but MP3.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeS24le } from '../../electron/core/audio/pcm-cache.ts';
import { ingestWavFile } from '../../electron/core/audio/wav-reader.ts';
import { createDownloader } from '../../electron/core/pipeline/downloader.ts';
import { encodeWav } from '../../electron/core/simulator/wav-encode.ts';
import { createStore } from '../../electron/core/store/index.ts';
import type { TaskKind } from '../../shared/domain.ts';
import { stemTrack } from '../../shared/kie/tracks.ts';
import { makeTask } from '../helpers/task.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const left = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i / 5) * 0.5);
const right = Float32Array.from({ length: 500 }, (_, i) => Math.cos(i / 9) * 0.25);
const WAV = Buffer.from(encodeWav({ left, right }));

async function download(kind: TaskKind, body: Buffer, type: string) {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const dir = await mkdtemp(join(tmpdir(), 'stemhook-wav-dl-'));
  const store = createStore(join(dir, 'stemhook.db'));
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => store.close(),
  );
  const at = Date.now();
  store.tasks.insert(makeTask({ id: 'task-1', kie_task_id: 'kie-1', kind, created_at: at }));
  const { trackId } = store.tracks.merge(
    'task-1',
    { ...stemTrack('take', 'x', null, null), key: 'wav' },
    false,
    'callback',
    at,
  );
  store.downloads.enqueue(trackId, `http://127.0.0.1:${(server.address() as AddressInfo).port}/result`, at);
  let mp3Ingests = 0;
  const downloader = createDownloader({
    store,
    libraryDir: join(dir, 'library'),
    allowLoopback: true,
    maxAttempts: 1,
    ingest: async () => {
      mp3Ingests++;
      throw new Error('the MP3 decoder must not see this file');
    },
    ingestWav: ingestWavFile,
  });
  cleanups.push(() => downloader.stop());
  downloader.start();
  await downloader.idle();
  return { track: store.tracks.get(trackId), mp3Ingests };
}

describe('downloading WAV results', () => {
  it("stores a WAV task's result as .wav and fills the PCM cache from it", async () => {
    const { track, mp3Ingests } = await download('wav', WAV, 'audio/wav');
    expect(mp3Ingests).toBe(0);
    expect(track).toMatchObject({ state: 'ready', sample_count: 500, channels: 2, sample_rate: 44100 });
    expect(track?.local_path?.endsWith('.wav')).toBe(true);
    expect((await readFile(track?.local_path ?? '')).equals(WAV)).toBe(true);
    const pcm = decodeS24le(await readFile(track?.pcm_path ?? ''));
    expect(pcm[0]).toBe(Math.round((left[0] ?? 0) * 32767) * 256);
    expect(pcm[999]).toBe(Math.round((right[499] ?? 0) * 32767) * 256);
  });

  it('refuses a web page where a WAV was promised, in plain words', async () => {
    const { track } = await download('wav', Buffer.from('<html>expired</html>'), 'text/html');
    expect(track).toMatchObject({
      state: 'error',
      error: 'The link returned a web page (HTML) instead of a WAV file',
    });
  });

  it('still refuses a WAV where an MP3 was promised', async () => {
    const { track, mp3Ingests } = await download('split_stem', WAV, 'audio/wav');
    expect(mp3Ingests).toBe(0);
    expect(track?.state).toBe('error');
    expect(track?.error).toMatch(/^The downloaded file is not an MP3 \(it starts with bytes 52 49 46 46\)/);
  });
});
