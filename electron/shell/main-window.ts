// Keeps the one main window: opens (or reopens on macOS) it, focuses it, and delivers shell events
// such as files handed over by a second launch, holding them until the page can receive them.
import type { BrowserWindow, WebContents } from 'electron';
import type { ShellEvent } from '../../shared/window-api.ts';
import { APP_ORIGIN, SHELL_EVENT_CHANNEL } from './contract-bridge.ts';
import { createMainWindow, focusWindow, type WindowPaths } from './window.ts';

export function createWindowKeeper(paths: WindowPaths) {
  let win: BrowserWindow | null = null;
  let isLoaded = false;
  const queued: ShellEvent[] = [];

  const flush = (): void => {
    if (!win || win.isDestroyed() || !isLoaded) return;
    for (const event of queued.splice(0)) win.webContents.send(SHELL_EVENT_CHANNEL, event);
  };

  return {
    open(): BrowserWindow {
      if (win && !win.isDestroyed()) return win;
      const created = createMainWindow(paths);
      isLoaded = false;
      created.webContents.on('did-finish-load', () => {
        isLoaded = true;
        flush();
      });
      created.on('closed', () => {
        if (win === created) win = null;
      });
      win = created;
      void created.loadURL(`${APP_ORIGIN}/index.html`);
      return created;
    },
    current: (): BrowserWindow | null => (win && !win.isDestroyed() ? win : null),
    contents: (): WebContents | null => (win && !win.isDestroyed() ? win.webContents : null),
    focus(): void {
      focusWindow(win);
    },
    /** Sends now if the page is up, else when it has loaded (the preload keeps it for React). */
    send(event: ShellEvent): void {
      queued.push(event);
      flush();
    },
  };
}

export type WindowKeeper = ReturnType<typeof createWindowKeeper>;
