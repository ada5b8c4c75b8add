// The core's event bus: the contract's change events (`Events` in shared/api.ts) on the app's one
// typed emitter. Transports forward every event with `onAny` (WebSocket, IPC).
import type { Events } from '../../../shared/api.ts';
import { createEmitter, type Emitter } from '../../../shared/emitter.ts';

export type EventBus = Emitter<Events>;

export function createEventBus(): EventBus {
  return createEmitter<Events>();
}
