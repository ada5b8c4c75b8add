// The worker pool under the ingestor, driven by tiny real worker threads (eval'd scripts): queueing,
// one job per worker, crash isolation and close.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  createWorkerPool,
  WORKER_READY,
  WORKER_START_FAILED,
} from '../../electron/core/audio/decoder-pool.ts';
import { defaultWorkerCount } from '../../electron/core/audio/index.ts';

// Answers after `delay` ms with its thread id; refuses overlapping jobs, dies on 'crash'.
const SCRIPT = `
const { parentPort, threadId } = require('node:worker_threads');
let isBusy = false;
parentPort.on('message', ({ id, input }) => {
  if (input.crash) throw new Error('boom in worker');
  if (isBusy) return parentPort.postMessage({ id, ok: false, error: { code: 'overlap', message: 'two jobs at once' } });
  isBusy = true;
  setTimeout(() => {
    isBusy = false;
    parentPort.postMessage({ id, ok: true, value: { n: input.n * 2, threadId } });
  }, input.delay ?? 5);
});
`;

const READY_SCRIPT = `require('node:worker_threads').parentPort.postMessage(${JSON.stringify(WORKER_READY)});`;

interface In {
  n: number;
  delay?: number;
  crash?: boolean;
}
interface Out {
  n: number;
  threadId: number;
}

function createPool(size: number) {
  let spawned = 0;
  const pool = createWorkerPool<In, Out>({
    size,
    spawn: () => {
      spawned++;
      return new Worker(SCRIPT, { eval: true });
    },
  });
  return { pool, spawned: () => spawned };
}

describe('createWorkerPool', () => {
  it('runs a queue through at most `size` workers, one job each at a time, answers in order of input', async () => {
    const { pool, spawned } = createPool(2);
    try {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => pool.run({ n, delay: 20 })));
      expect(results.map((r) => (r.ok ? r.value.n : r.error.code))).toEqual([2, 4, 6, 8, 10, 12]);
      const threads = new Set(results.map((r) => (r.ok ? r.value.threadId : -1)));
      expect(threads.size).toBe(2);
      expect(spawned()).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('answers a crashed job with code internal and keeps serving later jobs', async () => {
    const { pool, spawned } = createPool(1);
    try {
      const [crashed, after] = await Promise.all([pool.run({ n: 1, crash: true }), pool.run({ n: 2 })]);
      expect(crashed.ok).toBe(false);
      expect(crashed.ok ? '' : crashed.error.code).toBe('internal');
      expect(crashed.ok ? '' : crashed.error.message).toMatch(/boom in worker/);
      expect(after).toMatchObject({ ok: true, value: { n: 4 } });
      expect(spawned()).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('answers running, queued and later jobs with code internal after close', async () => {
    const { pool } = createPool(1);
    const running = pool.run({ n: 1, delay: 10_000 });
    const queued = pool.run({ n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.close();
    for (const result of await Promise.all([running, queued, pool.run({ n: 3 })])) {
      expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    }
  });
});

describe('a pool whose workers say when they are ready', () => {
  const spawnEval = (script: string) =>
    createWorkerPool<In, Out>({
      size: 1,
      signalsReady: true,
      spawn: () => new Worker(script, { eval: true }),
    });

  it('answers a job whose worker died before it was ready with code worker_start_failed and the reason', async () => {
    const pool = spawnEval(`throw new Error('cannot load the decoder');`);
    try {
      const result = await pool.run({ n: 1 });
      expect(result).toMatchObject({ ok: false, error: { code: WORKER_START_FAILED } });
      expect(result.ok ? '' : result.error.message).toMatch(/cannot load the decoder/);
    } finally {
      await pool.close();
    }
  });

  it('answers a crash after the ready signal with code internal, as any crash', async () => {
    const pool = spawnEval(`${READY_SCRIPT}\n${SCRIPT}`);
    try {
      const [crashed, after] = await Promise.all([pool.run({ n: 1, crash: true }), pool.run({ n: 3 })]);
      expect(crashed).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(after).toMatchObject({ ok: true, value: { n: 6 } });
    } finally {
      await pool.close();
    }
  });
});

describe('default worker count', () => {
  it('uses the spare cores, never fewer than 2 nor more than 6', () => {
    expect([1, 2, 3, 4, 8, 64].map(defaultWorkerCount)).toEqual([2, 2, 2, 3, 6, 6]);
  });
});
