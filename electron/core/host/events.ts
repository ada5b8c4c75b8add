// A tiny typed event bus for the contract's `domain.changed` events; on() returns its unsubscribe.
import type { EventName, Events } from '../../../shared/api.ts';

type Listener = <E extends EventName>(name: E, payload: Events[E]) => void;

export type EventBus = ReturnType<typeof createEventBus>;

export function createEventBus() {
  const listeners = new Set<Listener>();
  return {
    emit<E extends EventName>(name: E, payload: Events[E]): void {
      for (const listener of listeners) {
        try {
          listener(name, payload);
        } catch (error) {
          console.error(`event listener failed on ${name}: ${(error as Error).message}`);
        }
      }
    },
    on(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
