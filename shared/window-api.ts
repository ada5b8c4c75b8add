// `window.api`, declared once: what the Electron preload exposes (electron/shell/contract-bridge.ts)
// and what the renderer reads (renderer/src/api/window-api.ts, which builds the same contract part
// over the loopback API in browser mode, without the desktop extras).
import type { ApiClient, EventName, Events } from './api.ts';

/** Desktop only: things the shell starts (a clicked notification, files opened from outside the app). */
export type ShellEvent = { type: 'open-task'; taskId: string } | { type: 'open-files'; paths: string[] };

export type ApiEventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

/** The contract part every shell provides: named calls and the `*.changed` events. */
export interface ContractWindowApi {
  call: ApiClient;
  onEvent(listener: ApiEventListener): () => void;
}

/**
 * What only the desktop preload adds. `DroppedFile` is the platform's `File` (shared/ is compiled
 * without DOM or Node types, so each side names its own).
 */
export interface DesktopExtras<DroppedFile> {
  /** The dropped file's path on disk (Electron's webUtils.getPathForFile). */
  getPathForFile(file: DroppedFile): string;
  /** Drag these files (paths from export.prepareDrag) out of the window; call in dragstart. Main only accepts export files. */
  startDrag(paths: string[]): void;
  /** Base of the audio routes (`/tracks/<id>/pcm16`, `/tracks/<id>/file`, `/tasks/<id>/source`). */
  audioBaseUrl: string;
  /** A notification was clicked (open that task) or audio files were opened from outside. */
  onShellEvent(listener: (event: ShellEvent) => void): () => void;
}

/** `window.api` exactly as the desktop preload builds it. */
export type DesktopWindowApi<DroppedFile> = ContractWindowApi & DesktopExtras<DroppedFile>;

/** `window.api` as the renderer sees it: the desktop extras are missing in browser mode. */
export type WindowApi<DroppedFile> = ContractWindowApi & Partial<DesktopExtras<DroppedFile>>;
