// The real core against KIE answering badly: every documented error on a create (and a 429 that
// succeeds on retry), a proxy's HTML page, a timeout, failing record-info polls, and failure
// callbacks with the codes core-faults does not cover. Nothing half-created, nothing lost, one
// plain message each.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubmitInput } from '../../shared/api.ts';
import type { TaskView } from '../../shared/domain.ts';
import { createCore, type Core, type CoreOptions } from '../../electron/core/host/core.ts';
import {
  createKieSimulator,
  type KieSimulator,
  type SimulatedRequestFailure,
  type SimulatorOptions,
} from '../../electron/core/simulator/index.ts';
import { isSettled } from '../helpers/live-core.ts';
import { publishReceiver, simulatorKieConfig } from '../helpers/live-core.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const HMAC_KEY = 'fault-api-hmac-key';

interface Host {
  core: Core;
  sim: KieSimulator;
  dataDir: string;
  logs: string[];
  source: string;
  waitFor(id: string, isDone: (t: TaskView) => boolean): Promise<TaskView>;
  close(): Promise<void>;
}

async function startHost(
  sim: Partial<SimulatorOptions> = {},
  extra: Pick<CoreOptions, 'kie'> = {},
  mode = { isPollingOnly: false },
): Promise<Host> {
  const simulator = await createKieSimulator({
    hmacKey: HMAC_KEY,
    stageDelayMs: 40,
    audioDurationSec: 1,
    callbackRetryDelayMs: 20,
    ...sim,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-fault-api-'));
  const logs: string[] = [];
  const config = simulatorKieConfig(dataDir, simulator, HMAC_KEY);
  const core = await createCore({
    config,
    log: (line) => logs.push(line),
    schedule: { withCallbacks: { firstMs: 150, maxMs: 300 }, pollingOnly: { firstMs: 100, maxMs: 300 } },
    downloadBackoffMs: 30,
    kie: { retryBaseDelayMs: 20, timeoutMs: 400, ...extra.kie },
  });
  if (!mode.isPollingOnly) publishReceiver(core);
  const source = await writeToneMp3(join(dataDir, 'take.mp3'), { seconds: 1 });
  return {
    core,
    sim: simulator,
    dataDir,
    logs,
    source,
    async waitFor(id, isDone) {
      for (let i = 0; i < 600; i++) {
        const task = await core.handlers['tasks.get']({ id });
        if (isDone(task)) return task;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `task ${id} did not settle: ${JSON.stringify(await core.handlers['tasks.get']({ id }))}`,
      );
    },
    async close() {
      await core.close();
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const instrumental = (h: Host): SubmitInput => ({
  kind: 'add-instrumental',
  source: { path: h.source },
  title: 'Harbor',
  tags: 'folk',
  negativeTags: '',
});

describe('KIE answering a create with an error', () => {
  let h: Host;
  beforeAll(async () => {
    h = await startHost();
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases: Array<[string, SimulatedRequestFailure, string, RegExp]> = [
    ['401 bad key', { code: 401 }, 'auth', /rejected the API key.*Settings/],
    ['402 credits', { code: 402 }, 'insufficient_credits', /balance is too low.*Top up/],
    ['422 invalid field', { code: 422, msg: 'tags is too long' }, 'validation', /invalid.*tags is too long/],
    ['455 maintenance', { code: 455 }, 'maintenance', /under maintenance/],
    ['500 server error', { code: 500 }, 'server', /internal problem.*minute/],
    [
      '502 HTML page from a proxy',
      { httpStatus: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' },
      'server',
      /internal problem/,
    ],
    ['no answer before the timeout', { delayMs: 3000, code: 500 }, 'timeout', /did not answer in time/],
  ];

  it.each(cases)(
    '%s: refused with a plain message, nothing created or charged',
    async (_name, failure, code, message) => {
      const credits = h.sim.control.credits();
      // The first request of a submission is the upload; the injection is aimed at the create after it.
      h.sim.control.failNextRequest({});
      h.sim.control.failNextRequest(failure);
      const error = await h.core.handlers['tasks.submit'](instrumental(h)).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error).toMatchObject({ code });
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(h.sim.control.options().apiKey);
      expect(await h.core.handlers['tasks.list']({})).toEqual([]);
      expect(h.sim.control.tasks()).toEqual([]);
      expect(h.sim.control.credits()).toBe(credits);
    },
  );

  it('429 rate limit: retried, then exactly one task is created and completes', async () => {
    h.sim.control.failNextRequest({});
    h.sim.control.failNextRequest({ code: 429, msg: 'Rate limited' });
    const task = await h.core.handlers['tasks.submit'](instrumental(h));
    const done = await h.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    expect(done.tracks.map((t) => t.state)).toEqual(['ready', 'ready']);
    expect(h.sim.control.tasks()).toHaveLength(1);
    expect(await h.core.handlers['tasks.list']({})).toHaveLength(1);
  });
});

describe('KIE answering record-info polls badly', () => {
  let h: Host | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('polling only: the task completes by itself through an HTML page, 455, 500 and a timeout', async () => {
    // No public URL: the callback URL can never resolve, so record-info polls are the only channel.
    h = await startHost({}, { kie: { maxRetries: 0 } }, { isPollingOnly: true });
    const task = await h.core.handlers['tasks.submit'](instrumental(h));
    for (const failure of [
      { httpStatus: 502, body: '<html><title>Bad Gateway</title></html>' },
      { code: 455 },
      { code: 500 },
      { delayMs: 1000 },
    ]) {
      h.sim.control.failNextRequest(failure);
    }
    const done = await h.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    expect(done.stages.every((s) => s.source !== 'callback')).toBe(true);
    expect(done.tracks.map((t) => t.state)).toEqual(['ready', 'ready']);
    expect(await h.core.handlers['callbacks.list']({})).toEqual([]);
    const reasons = h.logs.join('\n');
    for (const words of [/internal problem/, /under maintenance/, /did not answer in time/])
      expect(reasons).toMatch(words);
  });
});

describe('failure callbacks with the codes KIE documents', () => {
  let h: Host;
  beforeAll(async () => {
    h = await startHost();
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    { code: 408, shape: 'error-field' as const, kind: 'add-instrumental' as const, pattern: /timed out/ },
    { code: 500, shape: 'null-data' as const, kind: 'add-instrumental' as const, pattern: /internal error/ },
    {
      code: 451,
      shape: 'error-field' as const,
      kind: 'add-instrumental' as const,
      pattern: /could not download the input/,
    },
    { code: 500, shape: 'null-data' as const, kind: 'separate_vocal' as const, pattern: /internal error/ },
    {
      code: 400,
      shape: 'null-data' as const,
      kind: 'separate_vocal' as const,
      pattern: /refused the request/,
    },
  ])(
    '$kind failing with $code ends failed, no tracks, no downloads',
    async ({ code, shape, kind, pattern }) => {
      h.sim.control.failNextTask({
        stage: kind === 'separate_vocal' ? 'complete' : 'first',
        code,
        msg: 'Generation failed',
        shape,
      });
      const input: SubmitInput =
        kind === 'separate_vocal' ? { kind, source: { path: h.source } } : instrumental(h);
      const task = await h.core.handlers['tasks.submit'](input);
      const done = await h.waitFor(task.id, (t) => t.state === 'failed');
      expect(done.error?.code).toBe(`kie_${code}`);
      expect(done.error?.message).toMatch(pattern);
      expect(done.tracks.filter((t) => t.state !== 'remote' || t.remoteUrl)).toEqual([]);
      expect(h.core.store.downloads.active()).toEqual([]);
    },
  );
});
