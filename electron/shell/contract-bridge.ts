// Builds the object the preload exposes as `window.api`: one named IPC channel per contract method
// and nothing else (no generic invoke, no raw ipcRenderer), plus the shell's few extras. Pure, so
// Node tests can check it against the contract with a fake ipcRenderer.
import { API_METHODS, type ApiClient, type ApiMethod, type EventName } from '../../shared/api.ts';
import { createEmitter } from '../../shared/emitter.ts';
import type { Result } from '../../shared/result.ts';
import type { DesktopWindowApi, ShellEvent } from '../../shared/window-api.ts';

export const APP_SCHEME = 'stemhook';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const AUDIO_SCHEME = 'stemhook-audio';
/** Same paths as browser mode's `/api` audio routes: `/tracks/<id>/pcm16`, `/tracks/<id>/file`, `/tasks/<id>/source`. */
export const AUDIO_BASE_URL = `${AUDIO_SCHEME}://library`;

export const EVENT_CHANNEL = 'api:event';
export const SHELL_EVENT_CHANNEL = 'shell:event';
export const START_DRAG_CHANNEL = 'shell:start-drag';
export const MAX_DRAG_FILES = 64;

export function methodChannel(method: ApiMethod): string {
  return `api:${method}`;
}

/** The slice of Electron's ipcRenderer the bridge needs. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function subscribe(ipc: IpcRendererLike, channel: string, deliver: (args: unknown[]) => void): () => void {
  // The IPC event object never reaches the page: it carries `sender`, a way back into ipcRenderer.
  const handler = (_event: unknown, ...args: unknown[]): void => deliver(args);
  ipc.on(channel, handler);
  return () => void ipc.removeListener(channel, handler);
}

export function buildWindowApi(
  ipc: IpcRendererLike,
  getPathForFile: (file: File) => string,
): DesktopWindowApi<File> {
  const call = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (input: unknown): Promise<Result<unknown>> => {
        try {
          return (await ipc.invoke(methodChannel(method), input)) as Result<unknown>;
        } catch (error) {
          return {
            ok: false,
            error: { code: 'unavailable', message: `The app is not ready: ${(error as Error).message}` },
          };
        }
      },
    ]),
  ) as ApiClient;

  // Shell events can fire before React subscribes (a file handed over at launch): keep them.
  const pending: ShellEvent[] = [];
  const shellEvents = createEmitter<{ shell: ShellEvent }>();
  subscribe(ipc, SHELL_EVENT_CHANNEL, ([event]) => {
    const shellEvent = event as ShellEvent;
    if (shellEvents.listenerCount('shell') === 0) pending.push(shellEvent);
    else shellEvents.emit('shell', shellEvent);
  });

  return {
    call,
    onEvent(listener) {
      return subscribe(ipc, EVENT_CHANNEL, ([name, payload]) =>
        listener(name as EventName, payload as never),
      );
    },
    onShellEvent(listener) {
      const stop = shellEvents.on('shell', listener);
      for (const event of pending.splice(0)) listener(event);
      return stop;
    },
    getPathForFile: (file) => getPathForFile(file),
    startDrag(paths) {
      if (
        !Array.isArray(paths) ||
        paths.length === 0 ||
        paths.length > MAX_DRAG_FILES ||
        !paths.every((p) => typeof p === 'string')
      ) {
        throw new TypeError(`startDrag takes 1 to ${MAX_DRAG_FILES} file paths`);
      }
      ipc.send(START_DRAG_CHANNEL, [...paths]);
    },
    audioBaseUrl: AUDIO_BASE_URL,
  };
}
