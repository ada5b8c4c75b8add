// Callbacks that beat KIE's create answer and carry no submission id are kept as `unknown_task`
// and adopted once the task is recorded. Adoption is "a callback was recorded" like any other:
// the inspector must hear about it (real core, KIE simulator, loopback HTTP).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/api.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';

let live: LiveCore | null = null;
let relay: Server | null = null;
afterEach(async () => {
  relay?.closeAllConnections();
  await new Promise((resolve) => (relay ? relay.close(resolve) : resolve(undefined)));
  relay = null;
  await live?.close();
  live = null;
});

/** Stands in for a proxy that drops the query string: callbacks reach the receiver without `?sid=`. */
async function startQueryDroppingRelay(receiverUrl: string): Promise<string> {
  const target = new URL(receiverUrl);
  relay = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    const forward = request(
      { host: target.hostname, port: target.port, path, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => relay?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
}

describe('callbacks adopted after the create answer', () => {
  it('tell the inspector about every adopted callback and its task', async () => {
    live = await startLiveCore({}, { callbacks: false, kie: { timeoutMs: 10_000 } });
    const { core } = live;
    const relayUrl = await startQueryDroppingRelay(core.receiver.callbackUrl);
    core.setPublicUrl(relayUrl, { state: 'online', reason: null });

    const path = await writeToneMp3(join(live.dataDir, 'vox.mp3'), { seconds: 1 });
    const take = await live.waitFor(
      (
        await core.handlers['tasks.submit']({
          kind: 'add-instrumental',
          source: { path },
          title: 'Harbor',
          tags: 'folk',
          negativeTags: 'edm',
        })
      ).id,
      isSettled,
    );

    const heard: Array<{ name: EventName; ids: Array<string | number> }> = [];
    core.events.onAny((name, payload) => {
      if ('ids' in payload) heard.push({ name, ids: payload.ids });
    });
    // KIE holds its create answer while its callbacks are already on their way.
    live.sim.control.setOptions({ stageDelayMs: 20 });
    live.sim.control.failNextRequest({ answerDelayMs: 1500 });
    const task = await core.handlers['tasks.submit']({
      kind: 'separate_vocal',
      from: { taskId: take.id, audioId: take.tracks[0]?.audioId ?? '' },
    });

    const rows = core.store.callbacks.list({ limit: 100 });
    const orphans = rows.filter((r) => r.verdict === 'unknown_task');
    expect(orphans.length, 'no callback beat the create answer: the race did not happen').toBeGreaterThan(0);
    const adopted = rows.filter((r) => r.replay_of !== null && orphans.some((o) => o.id === r.replay_of));
    expect(adopted).toHaveLength(orphans.length);
    expect(adopted.every((r) => r.task_id === task.id)).toBe(true);

    const told = (name: EventName, id: string | number) =>
      heard.some((event) => event.name === name && event.ids.includes(id));
    for (const row of adopted) expect(told('callbacks.changed', row.id), `callback ${row.id}`).toBe(true);
    expect(told('tasks.changed', task.id)).toBe(true);
    expect((await live.waitFor(task.id, isSettled)).state).toBe('complete');
  });
});
