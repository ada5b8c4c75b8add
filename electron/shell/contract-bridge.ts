// Builds the object the preload exposes as `window.api`: one named IPC channel per contract method
// and nothing else (no generic invoke, no raw ipcRenderer), plus the shell's few extras. Pure, so
// Node tests can check it against the contract with a fake ipcRenderer.
import {
  API_METHODS,
  type ApiClient,
  type ApiMethod,
  type EventName,
  type Events,
} from '../../shared/api.ts';
import type { Result } from '../../shared/result.ts';

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

/** Things only the desktop shell can start: a notification was clicked, a file was opened. */
export type ShellEvent = { type: 'open-task'; taskId: string } | { type: 'open-files'; paths: string[] };

/** The slice of Electron's ipcRenderer the bridge needs. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface WindowApi {
  call: ApiClient;
  onEvent(listener: <E extends EventName>(name: E, payload: Events[E]) => void): () => void;
  onShellEvent(listener: (event: ShellEvent) => void): () => void;
  /** The dropped file's path on disk (Electron's webUtils.getPathForFile). */
  getPathForFile(file: File): string;
  /** Same function under the name the renderer's window-api.ts uses. */
  pathForFile(file: File): string;
  /** Drag files out of the window into a DAW or the file manager; main only accepts export files. */
  startDrag(paths: string[]): void;
  audioBaseUrl: string;
}

function subscribe(ipc: IpcRendererLike, channel: string, deliver: (args: unknown[]) => void): () => void {
  // The IPC event object never reaches the page: it carries `sender`, a way back into ipcRenderer.
  const handler = (_event: unknown, ...args: unknown[]): void => deliver(args);
  ipc.on(channel, handler);
  return () => void ipc.removeListener(channel, handler);
}

export function buildWindowApi(ipc: IpcRendererLike, getPathForFile: (file: File) => string): WindowApi {
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
  const shellListeners = new Set<(event: ShellEvent) => void>();
  subscribe(ipc, SHELL_EVENT_CHANNEL, ([event]) => {
    const shellEvent = event as ShellEvent;
    if (shellListeners.size === 0) pending.push(shellEvent);
    for (const listener of shellListeners) listener(shellEvent);
  });

  const pathFor = (file: File): string => getPathForFile(file);
  return {
    call,
    onEvent(listener) {
      return subscribe(ipc, EVENT_CHANNEL, ([name, payload]) =>
        listener(name as EventName, payload as never),
      );
    },
    onShellEvent(listener) {
      shellListeners.add(listener);
      for (const event of pending.splice(0)) listener(event);
      return () => void shellListeners.delete(listener);
    },
    getPathForFile: pathFor,
    pathForFile: pathFor,
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
