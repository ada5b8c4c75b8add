// The real decode worker thread (its TypeScript entry, as the dev build runs it) sent a job it does
// not know: it must answer with an error, since the pool waits for one reply per job and a
// dropped job would hang that ingest (and the task behind it) forever.
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { WORKER_READY } from '../../electron/core/audio/decoder-pool.ts';

let worker: Worker | null = null;
afterEach(async () => {
  await worker?.terminate();
  worker = null;
});

function nextMessage(w: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
}

it('answers a job it does not know with code internal instead of dropping it', async () => {
  worker = new Worker(new URL('../../electron/core/audio/decode-worker.ts', import.meta.url));
  expect(await nextMessage(worker)).toBe(WORKER_READY);
  for (const input of [{ format: 'ogg', outBase: '/tmp/x' }, { outBase: 42 }, null]) {
    const reply = nextMessage(worker);
    worker.postMessage({ id: 7, input });
    expect(await reply).toEqual({
      id: 7,
      ok: false,
      error: { code: 'internal', message: 'The decode worker was sent a job it does not know.' },
    });
  }
});
