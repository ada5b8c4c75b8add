// One small typed emitter for every listener set in the app (host events, audio engines, stores,
// the window bridge). `on()` returns its unsubscribe; a listener that throws is reported and the
// others still run, so one broken subscriber cannot silence the rest.

/** Event name → payload type. Use `void` for events without a payload. */
export type EventMap = object;

export type Listener<Payload> = (payload: Payload) => void;

/** Called with a listener's error; the default writes one line to the console, if there is one. */
export type ListenerErrorHandler = (error: unknown, eventName: string) => void;

export interface Emitter<Events extends EventMap> {
  /** Listen to one event; returns the function that stops listening (safe to call twice). */
  on<Name extends keyof Events & string>(name: Name, listener: Listener<Events[Name]>): () => void;
  /** Listen to every event (buses that forward everything, e.g. over a WebSocket). */
  onAny(
    listener: <Name extends keyof Events & string>(name: Name, payload: Events[Name]) => void,
  ): () => void;
  emit<Name extends keyof Events & string>(
    name: Name,
    ...payload: Events[Name] extends void ? [] : [Events[Name]]
  ): void;
  /** How many listeners are subscribed (to one event, or in all). */
  listenerCount(name?: keyof Events & string): number;
  /** Drop every listener (teardown). */
  clear(): void;
}

function consoleReport(error: unknown, eventName: string): void {
  const sink = (globalThis as { console?: { error(...args: unknown[]): void } }).console;
  const text = error instanceof Error ? error.message : String(error);
  sink?.error(`listener for "${eventName}" failed: ${text}`);
}

export function createEmitter<Events extends EventMap>(
  onListenerError: ListenerErrorHandler = consoleReport,
): Emitter<Events> {
  type AnyListener = (name: string, payload: unknown) => void;
  const byName = new Map<string, Set<Listener<unknown>>>();
  const anyListeners = new Set<AnyListener>();

  function report(error: unknown, eventName: string): void {
    try {
      onListenerError(error, eventName);
    } catch {
      // A failing error handler must not break delivery either.
    }
  }

  return {
    on(name, listener) {
      let set = byName.get(name);
      if (!set) byName.set(name, (set = new Set()));
      // Wrap so the same function can be subscribed twice and unsubscribed independently.
      const entry: Listener<unknown> = (payload) => (listener as Listener<unknown>)(payload);
      set.add(entry);
      return () => {
        set.delete(entry);
        if (set.size === 0 && byName.get(name) === set) byName.delete(name);
      };
    },
    onAny(listener) {
      const entry: AnyListener = (name, payload) => (listener as AnyListener)(name, payload);
      anyListeners.add(entry);
      return () => void anyListeners.delete(entry);
    },
    emit(name, ...payload) {
      const value = payload[0];
      const named = byName.get(name);
      // Snapshot first: a listener that unsubscribes (or subscribes) while we deliver is safe. No
      // closure per delivery: engines emit on every audio tick, and those were the page's garbage.
      if (named)
        for (const listener of [...named])
          try {
            listener(value);
          } catch (error) {
            report(error, name);
          }
      if (anyListeners.size > 0)
        for (const listener of [...anyListeners])
          try {
            listener(name, value);
          } catch (error) {
            report(error, name);
          }
    },
    listenerCount(name) {
      if (name !== undefined) return byName.get(name)?.size ?? 0;
      let count = anyListeners.size;
      for (const set of byName.values()) count += set.size;
      return count;
    },
    clear() {
      byName.clear();
      anyListeners.clear();
    },
  };
}
