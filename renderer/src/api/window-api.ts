// Where the renderer gets the contract: the Electron preload's window.api, or in browser mode a
// client over the loopback API with the token from the URL fragment (sent as a Bearer header only).
import {
  API_METHODS,
  type ApiClient,
  type ApiMethod,
  type EventName,
  type Events,
} from '../../../shared/api.ts';
import { createEmitter } from '../../../shared/emitter.ts';
import type { Result } from '../../../shared/result.ts';
import type { WindowApi } from '../../../shared/window-api.ts';

declare global {
  interface Window {
    api?: WindowApi<File>;
  }
}

const TOKEN_KEY = 'stemhook.token';

function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname);
  }
  return fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** True in the desktop app, where the preload provides the contract over IPC. */
const isDesktop = window.api !== undefined;
const token = isDesktop ? '' : takeToken();

/** Headers for authenticated loopback requests in browser mode (never put the token in a URL). */
export function authHeaders(): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * What the studio draws its lanes with, asked for all lanes at once when it opens. The browser
 * gives a host six connections; a lane's PCM read asked while these held them waited up to 230 ms
 * for one in the stream bench, and a Play pressed then waited with it. At low priority they let
 * the audio (fetch's default, high) go first. The desktop app calls over IPC, without that queue.
 */
const DRAWING_METHODS = new Set<ApiMethod>(['tracks.peaks', 'midi.notes', 'lyrics.get']);

function createBrowserApi(): WindowApi<File> {
  const call = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (input: unknown): Promise<Result<unknown>> => {
        try {
          const response = await fetch(`/api/call/${method}`, {
            method: 'POST',
            headers: { ...authHeaders(), 'content-type': 'application/json' },
            body: JSON.stringify(input ?? {}),
            priority: DRAWING_METHODS.has(method) ? 'low' : 'auto',
          });
          return (await response.json()) as Result<unknown>;
        } catch (error) {
          const message = `Stemhook is not reachable: ${(error as Error).message}`;
          return { ok: false, error: { code: 'offline', message } };
        }
      },
    ]),
  ) as ApiClient;
  const events = createEmitter<Events>();
  const isListened = () => events.listenerCount() > 0;
  let socket: WebSocket | null = null;
  // One socket for the whole page, opened with the first listener; the WebSocket API cannot send
  // headers, so the events endpoint is the one place the token travels in a query string.
  const connect = () => {
    socket = new WebSocket(`ws://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onmessage = (message) => {
      const { name, payload } = JSON.parse(String(message.data)) as { name: EventName; payload: never };
      events.emit(name, payload);
    };
    socket.onclose = () => {
      socket = null;
      if (isListened()) setTimeout(() => isListened() && !socket && connect(), 1000);
    };
  };
  return {
    call,
    onEvent(listener) {
      const stop = events.onAny(listener);
      if (!socket) connect();
      return () => {
        stop();
        if (!isListened()) socket?.close();
      };
    },
  };
}

export const api: WindowApi<File> = window.api ?? createBrowserApi();
