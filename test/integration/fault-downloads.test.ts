// Result downloads breaking under the real host (core + simulator's CDN faults): an HTML page, a 4 GB
// claim, a dead link, a stall, a truncation, a full disk. Final faults say why on the track; passing
// ones are retried until every byte arrives; no .part file is ever left behind.
import { afterEach, describe, expect, it } from 'vitest';
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TaskView } from '../../shared/domain.ts';
import { createCore, type Core, type CoreOptions } from '../../electron/core/host/core.ts';
import {
  createKieSimulator,
  type FileFault,
  type KieSimulator,
  type SimulatorOptions,
} from '../../electron/core/simulator/index.ts';
import { isSettled } from '../helpers/live-core.ts';
import { publishReceiver, simulatorKieConfig } from '../helpers/live-core.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const HMAC_KEY = 'fault-downloads-hmac-key';

interface Host {
  core: Core;
  sim: KieSimulator;
  dataDir: string;
  submit(): Promise<TaskView>;
  waitFor(id: string, isDone: (t: TaskView) => boolean): Promise<TaskView>;
  close(): Promise<void>;
}

let host: Host | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

async function startHost(
  sim: Partial<SimulatorOptions>,
  download: CoreOptions['download'] = {},
): Promise<Host> {
  const simulator = await createKieSimulator({
    hmacKey: HMAC_KEY,
    stageDelayMs: 30,
    audioDurationSec: 1,
    callbackRetryDelayMs: 20,
    ...sim,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-fault-dl-'));
  const config = simulatorKieConfig(dataDir, simulator, HMAC_KEY);
  const core = await createCore({ config, log: () => undefined, downloadBackoffMs: 30, download });
  publishReceiver(core);
  const source = await writeToneMp3(join(dataDir, 'take.mp3'), { seconds: 1 });
  host = {
    core,
    sim: simulator,
    dataDir,
    submit: () =>
      core.handlers['tasks.submit']({
        kind: 'add-instrumental',
        source: { path: source },
        title: 'Harbor',
        tags: 'folk',
        negativeTags: '',
      }),
    async waitFor(id, isDone) {
      for (let i = 0; i < 400; i++) {
        const task = await core.handlers['tasks.get']({ id });
        if (isDone(task)) return task;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(
        `task ${id} did not get there: ${JSON.stringify(await core.handlers['tasks.get']({ id }))}`,
      );
    },
    async close() {
      await core.close();
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return host;
}

function libraryFiles(h: Host): string[] {
  const dir = join(h.dataDir, 'library');
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** A disk that accepts the first 4 KB of each file, then fails like a full one while `isFull()`. */
function diskThatFillsUp(isFull: () => boolean): (path: string) => Writable {
  return (path) => {
    const file = createWriteStream(path, { flush: true });
    if (!isFull()) return file;
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (written <= 4096) return void file.write(chunk, callback);
        const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        file.end(() => callback(error));
      },
      final: (callback) => void file.end(callback),
      destroy: (error, callback) => {
        file.destroy();
        callback(error);
      },
    });
  };
}

describe('result downloads that can never succeed', () => {
  it.each<[FileFault, RegExp]>([
    ['not_audio', /web page \(HTML\) instead of an MP3/],
    ['oversize', /larger than the 200 MB limit/],
    ['not_found', /link for this result is dead \(HTTP 404\)/],
  ])(
    '%s: every track ends in error saying why, the task stays complete, nothing kept',
    async (fault, reason) => {
      const h = await startHost({ fileFault: fault });
      const done = await h.waitFor((await h.submit()).id, isSettled);
      expect(done.state).toBe('complete');
      expect(done.tracks).toHaveLength(2);
      for (const track of done.tracks) {
        expect(track.state).toBe('error');
        expect(track.error).toMatch(reason);
      }
      expect(h.core.store.downloads.active()).toEqual([]);
      expect(libraryFiles(h)).toEqual([]);
    },
  );

  it('a stall that never ends: gives up after the attempt limit and says so', async () => {
    const h = await startHost({ fileFault: 'stall' }, { timeoutMs: 250, maxAttempts: 2 });
    const done = await h.waitFor((await h.submit()).id, isSettled);
    for (const track of done.tracks)
      expect(track.error).toMatch(/stalled \(no data for 0\.25 s\) \(gave up after 2 attempts\)/);
    expect(libraryFiles(h)).toEqual([]);
  });
});

describe('result downloads that fail for a while', () => {
  it.each<[FileFault, RegExp]>([
    ['stall', /stalled/],
    ['truncate', /cut short \(got \d+ of \d+ bytes\)/],
  ])('%s: the track shows the reason while it is retried, then every byte arrives', async (fault, reason) => {
    const h = await startHost({ fileFault: fault }, { timeoutMs: 250, maxAttempts: 50 });
    const task = await h.submit();
    const failing = await h.waitFor(task.id, (t) => t.tracks.some((track) => reason.test(track.error ?? '')));
    expect(failing.tracks.every((t) => t.state !== 'ready')).toBe(true);
    h.sim.control.setOptions({ fileFault: null });
    const done = await h.waitFor(task.id, isSettled);
    expect(done.tracks.map((t) => [t.state, t.error])).toEqual([
      ['ready', null],
      ['ready', null],
    ]);
    expect(done.tracks.every((t) => (t.sampleCount ?? 0) > 40_000)).toBe(true);
    expect(libraryFiles(h).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('a full disk while writing: retried with the disk message and no .part left, done once space is back', async () => {
    let isFull = true;
    const h = await startHost({}, { maxAttempts: 50, createWriteStream: diskThatFillsUp(() => isFull) });
    const task = await h.submit();
    const failing = await h.waitFor(
      task.id,
      (t) =>
        t.tracks.length === 2 &&
        t.tracks.every((track) => /Disk full or not writable: ENOSPC/.test(track.error ?? '')),
    );
    expect(failing.tracks.every((t) => t.state === 'remote' || t.state === 'downloading')).toBe(true);
    isFull = false;
    const done = await h.waitFor(task.id, isSettled);
    expect(done.tracks.map((t) => t.state)).toEqual(['ready', 'ready']);
    expect(libraryFiles(h).filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});
