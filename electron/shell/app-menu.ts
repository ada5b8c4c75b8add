// Installs the application menu (template in menu.ts) with its actions: open audio files, poll
// KIE now, show the data folder, and say how callbacks reach this computer.
import { app, dialog, Menu, shell } from 'electron';
import type { ApiHandlers } from '../../shared/api.ts';
import { buildMenuTemplate } from './menu.ts';
import { AUDIO_EXTENSIONS, isAudioFile } from './open-files.ts';
import { describeHostStatus } from './status-text.ts';

export interface AppMenuOptions {
  dataDir: string;
  handlers: Pick<ApiHandlers, 'tasks.refresh' | 'host.status'>;
  openFiles: (paths: string[]) => void;
}

export function installAppMenu(options: AppMenuOptions): void {
  const actions = {
    async openAudio(): Promise<void> {
      const picked = await dialog.showOpenDialog({
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Audio', extensions: [...AUDIO_EXTENSIONS] }],
      });
      options.openFiles(picked.filePaths.filter(isAudioFile));
    },
    checkTasks: () => void options.handlers['tasks.refresh']({}).catch(() => undefined),
    showDataFolder: () => void shell.openPath(options.dataDir),
    async showTunnelStatus(): Promise<void> {
      const message = describeHostStatus(await options.handlers['host.status']({}));
      await dialog.showMessageBox({ type: 'info', title: 'Connection', message });
    },
  };
  const template = buildMenuTemplate({ platform: process.platform, isDev: !app.isPackaged, actions });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
