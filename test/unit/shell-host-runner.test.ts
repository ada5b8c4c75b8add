// The desktop host runner with fake hosts: calls and events follow the current host, a settings
// change that needs a restart is applied in place (the window is told nothing is left to do).
import { describe, expect, it } from 'vitest';
import { API_METHODS, type ApiHandlers, type EventName } from '../../shared/api.ts';
import { createEventBus } from '../../electron/core/host/events.ts';
import { createHostRunner } from '../../electron/shell/host-runner.ts';

function fakeHost(generation: number, log: string[]) {
  const events = createEventBus();
  const handlers = Object.fromEntries(
    API_METHODS.map((m) => [m, async () => ({ generation, method: m })]),
  ) as unknown as ApiHandlers;
  handlers['settings.update'] = async (patch) => ({
    settings: {} as never,
    isRestartRequired: patch.apiKey !== undefined,
  });
  return {
    generation,
    core: { handlers, events },
    async close() {
      log.push(`close ${generation}`);
    },
  };
}

function setup(failOn?: number) {
  const log: string[] = [];
  const errors: unknown[] = [];
  let count = 0;
  const runner = createHostRunner({
    start: async () => {
      count++;
      if (count === failOn) throw new Error('port in use');
      log.push(`start ${count}`);
      return fakeHost(count, log);
    },
    onError: (error) => void errors.push(error),
  });
  return { runner, log, errors };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('createHostRunner', () => {
  it('routes calls to the running host', async () => {
    const { runner } = setup();
    await runner.start();
    expect(await runner.handlers['credits.get']({})).toEqual({ generation: 1, method: 'credits.get' });
    expect(runner.active()?.generation).toBe(1);
    await runner.close();
  });

  it('restarts in place after a settings change that needs it, and reports nothing left to do', async () => {
    const { runner, log } = setup();
    await runner.start();
    const seen: EventName[] = [];
    runner.events.onAny((name) => seen.push(name));
    const result = await runner.handlers['settings.update']({ apiKey: 'new-key' });
    expect(result.isRestartRequired).toBe(false);
    await until(() => runner.active()?.generation === 2);
    expect(log).toEqual(['start 1', 'close 1', 'start 2']);
    expect(await runner.handlers['host.status']({})).toEqual({ generation: 2, method: 'host.status' });
    expect(seen).toEqual(['host.changed', 'settings.changed']);
    expect((await runner.handlers['settings.update']({ preferences: { a: 'b' } })).isRestartRequired).toBe(
      false,
    );
    await runner.close();
    expect(log.at(-1)).toBe('close 2');
  });

  it('forwards events from the current host only', async () => {
    const { runner } = setup();
    const first = await runner.start();
    const seen: string[] = [];
    runner.events.onAny((name, payload) => seen.push(`${name}:${JSON.stringify(payload)}`));
    first.core.events.emit('tasks.changed', { ids: ['a'] });
    await runner.restart();
    first.core.events.emit('tasks.changed', { ids: ['stale'] });
    (await runner.current()).core.events.emit('tasks.changed', { ids: ['b'] });
    expect(seen.filter((s) => s.startsWith('tasks'))).toEqual([
      'tasks.changed:{"ids":["a"]}',
      'tasks.changed:{"ids":["b"]}',
    ]);
    await runner.close();
  });

  it('reports a restart that fails', async () => {
    const { runner, errors } = setup(2);
    await runner.start();
    await runner.restart();
    expect(errors).toEqual([new Error('port in use')]);
    expect(runner.active()).toBeNull();
    await runner.close();
  });
});
