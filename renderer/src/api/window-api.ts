// Where the renderer gets the contract: the Electron preload's window.api, or in browser mode a
// client over the loopback API with the token from the URL fragment (sent as a Bearer header only).
import { API_METHODS, type ApiClient, type EventName, type Events } from '../../../shared/api.ts';
import type { Result } from '../../../shared/result.ts';

type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

/** Desktop only: things the shell starts (a clicked notification, files opened from outside the app). */
type ShellEvent = { type: 'open-task'; taskId: string } | { type: 'open-files'; paths: string[] };

export interface RendererApi {
  call: ApiClient;
  onEvent(listener: EventListener): () => void;
  /** Desktop only: the dropped file's path on disk (Electron's webUtils.getPathForFile). */
  pathForFile?: (file: File) => string;
  /** Desktop only: the same function under the name. */
  getPathForFile?: (file: File) => string;
  /** Desktop only: drag these files (paths from export.prepareDrag) out of the window; call in dragstart. */
  startDrag?: (paths: string[]) => void;
  /** Desktop only: base of the audio routes (`/tracks/<id>/pcm16`, `/tracks/<id>/file`, `/tasks/<id>/source`). */
  audioBaseUrl?: string;
  /** Desktop only: a notification was clicked (open that task) or audio files were opened from outside. */
  onShellEvent?: (listener: (event: ShellEvent) => void) => () => void;
}

declare global {
  interface Window {
    api?: RendererApi;
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

function createBrowserApi(): RendererApi {
  const call = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (input: unknown): Promise<Result<unknown>> => {
        try {
          const response = await fetch(`/api/call/${method}`, {
            method: 'POST',
            headers: { ...authHeaders(), 'content-type': 'application/json' },
            body: JSON.stringify(input ?? {}),
          });
          return (await response.json()) as Result<unknown>;
        } catch (error) {
          const message = `Stemhook is not reachable: ${(error as Error).message}`;
          return { ok: false, error: { code: 'offline', message } };
        }
      },
    ]),
  ) as ApiClient;
  const listeners = new Set<EventListener>();
  let socket: WebSocket | null = null;
  // One socket for the whole page, opened with the first listener; the WebSocket API cannot send
  // headers, so the events endpoint is the one place the token travels in a query string.
  const connect = () => {
    socket = new WebSocket(`ws://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onmessage = (message) => {
      const { name, payload } = JSON.parse(String(message.data)) as { name: EventName; payload: never };
      for (const listener of listeners) listener(name, payload);
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size > 0) setTimeout(() => listeners.size > 0 && !socket && connect(), 1000);
    };
  };
  return {
    call,
    onEvent(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) socket?.close();
      };
    },
  };
}

export const api: RendererApi = window.api ?? createBrowserApi();
