// The 'electron' module electron-loader.ts hands a built bundle run under Node: one fake per process
// (fake-electron.ts), app.getAppPath() from STEMHOOK_TEST_APP_PATH, and app.exit ending the process.
import { createFakeElectron } from './fake-electron.ts';

export const fake = createFakeElectron({
  appPath: process.env.STEMHOOK_TEST_APP_PATH ?? process.cwd(),
  isPackaged: true,
  onExit: (code) => process.exit(code),
});

export const {
  app,
  BrowserWindow,
  Notification,
  dialog,
  ipcMain,
  ipcRenderer,
  contextBridge,
  webUtils,
  protocol,
  session,
  powerMonitor,
  Menu,
  nativeImage,
  shell,
  safeStorage,
} = fake.electron;
