// The application menu: the platform's usual items and shortcuts plus Stemhook's few commands.
// Built as a plain template so a Node test can check it; main turns it into a Menu.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openAudio(): void;
  checkTasks(): void;
  showDataFolder(): void;
  showTunnelStatus(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  isDev: boolean;
  actions: MenuActions;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const { actions } = options;
  const appMenu: MenuItemConstructorOptions[] = isMac ? [{ role: 'appMenu' }] : [];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Audio…', accelerator: 'CmdOrCtrl+O', click: () => actions.openAudio() },
      { label: 'Check Tasks Now', accelerator: 'CmdOrCtrl+Shift+R', click: () => actions.checkTasks() },
      { type: 'separator' },
      { label: 'Show Data Folder', click: () => actions.showDataFolder() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(options.isDev ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Tunnel and Callback Status', click: () => actions.showTunnelStatus() },
      { label: 'Show Data Folder', click: () => actions.showDataFolder() },
    ],
  };
  return [...appMenu, file, { role: 'editMenu' }, view, { role: 'windowMenu' }, help];
}
