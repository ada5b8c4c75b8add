// Exposes window.api, built from the contract's method list only (see shell/contract-bridge.ts):
// the page gets named calls and events, never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildWindowApi } from './shell/contract-bridge.ts';

contextBridge.exposeInMainWorld(
  'api',
  buildWindowApi(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);
