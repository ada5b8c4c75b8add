// Owns the desktop app's running host (core, local API, tunnel) and restarts it in place when saved
// keys or URLs change, so new settings apply without quitting (and secrets kept for this session
// only survive). The window talks to `handlers`/`events`, which always follow the current host.
import { API_METHODS, type ApiHandlers, type EventName, type Events } from '../../shared/api.ts';
import { createEmitter, type Emitter } from '../../shared/emitter.ts';

export interface HostLike {
  core: { handlers: ApiHandlers; events: Pick<Emitter<Events>, 'onAny'> };
  close(): Promise<void>;
}

export interface HostRunnerOptions<H extends HostLike> {
  start: () => Promise<H>;
  /** A restart failed: the app has no host any more. */
  onError: (error: unknown) => void;
}

export function createHostRunner<H extends HostLike>(options: HostRunnerOptions<H>) {
  let current: Promise<H> | null = null;
  let active: H | null = null;
  let detach: (() => void) | null = null;
  let queue: Promise<void> = Promise.resolve();
  let isClosed = false;
  // Outlives each host: the window subscribes once and keeps hearing whichever host is current.
  const events = createEmitter<Events>();
  // Named over the whole EventName union: the emitter's payload typing cannot resolve a generic name.
  const forward = (name: EventName, payload: Events[EventName]): void =>
    events.emit<EventName>(name, payload);
  const launch = (): Promise<H> =>
    options.start().then((host) => {
      detach = host.core.events.onAny(forward);
      active = host;
      return host;
    });
  const host = (): Promise<H> => current ?? Promise.reject(new Error('Stemhook has not started'));

  async function restartNow(): Promise<void> {
    if (isClosed) return;
    const previous = current;
    // Calls made from here on wait for the new host instead of reaching the closing one.
    current = (async () => {
      const old = await previous?.catch(() => null);
      detach?.();
      active = null;
      await old?.close();
      return launch();
    })();
    await current;
    events.emit('host.changed', {});
    events.emit('settings.changed', {});
  }

  const restart = (): Promise<void> => {
    queue = queue.then(restartNow).catch((error: unknown) => options.onError(error));
    return queue;
  };

  const handlers = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (input: unknown) =>
        ((await host()).core.handlers[method] as (input: unknown) => Promise<unknown>)(input),
    ]),
  ) as ApiHandlers;
  handlers['settings.update'] = async (patch) => {
    const result = await (await host()).core.handlers['settings.update'](patch);
    if (!result.isRestartRequired) return result;
    // Answer first, then restart: the window learns the change is applied, not that it must quit.
    setImmediate(() => void restart());
    return { ...result, isRestartRequired: false };
  };

  return {
    start(): Promise<H> {
      current ??= launch();
      return current;
    },
    current: host,
    /** The running host, or null while it (re)starts; for synchronous lookups. */
    active: (): H | null => active,
    handlers,
    events: { onAny: events.onAny },
    restart,
    async close(): Promise<void> {
      isClosed = true;
      await queue;
      const last = await current?.catch(() => null);
      detach?.();
      active = null;
      await last?.close();
    },
  };
}

export type HostRunner<H extends HostLike> = ReturnType<typeof createHostRunner<H>>;
