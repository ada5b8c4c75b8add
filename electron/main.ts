// Composition root of the desktop app: the same host as `stemhook serve` (core, the CLI's local API
// and host.json, tunnel) with secrets in the OS keychain, wrapped in one locked-down window whose
// only door to the core is the contract over IPC. Everything it wires lives in shell/ and host/.
import { app, dialog, ipcMain, powerMonitor } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readHostConfig, type HostConfig } from './core/host/config.ts';
import { storeAudioLookup } from './core/host/library-files.ts';
import { installProcessGuards } from './core/host/process-guards.ts';
import { startServe } from './core/host/serve.ts';
import { applyAppIdentity } from './shell/app-identity.ts';
import { claimSingleInstance, quitGracefully } from './shell/app-lifecycle.ts';
import { installAppMenu } from './shell/app-menu.ts';
import { handleSchemes, registerSchemes } from './shell/app-protocol.ts';
import { dragRoots, registerDragOut } from './shell/drag-out.ts';
import { createHostRunner } from './shell/host-runner.ts';
import { registerContract } from './shell/ipc-contract.ts';
import { openKeychainVault } from './shell/keychain-vault.ts';
import { createWindowKeeper } from './shell/main-window.ts';
import { startNotifications } from './shell/notifications.ts';
import { askWeakStorage, createSafeStorageCipher } from './shell/safe-storage.ts';
import { hardenApp } from './shell/window.ts';

const resources = join(app.getAppPath(), 'electron', 'resources');
const log = (line: string): void => console.log(line);
const windows = createWindowKeeper({
  preload: join(import.meta.dirname, '../preload/preload.cjs'),
  icon: join(resources, 'icon.png'),
});
const show = (): void => {
  windows.open();
  windows.focus();
};
const fatal = (error: unknown): void => {
  dialog.showErrorBox('Stemhook could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
};

async function start(config: HostConfig): Promise<void> {
  hardenApp();
  installProcessGuards({ log, exitOnUncaughtBug: false });
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const vault = await openKeychainVault({
    dataDir: config.dataDir,
    cipher: await createSafeStorageCipher(),
    askWeakStorage: () => askWeakStorage(windows.current()),
    log,
  });
  const runner = createHostRunner({
    start: () => startServe(config, { vault, rendererDir: null, log }),
    onError: fatal,
  });
  await runner.start();
  handleSchemes({
    rendererDir: join(import.meta.dirname, '../renderer'),
    libraryDir: join(config.dataDir, 'library'),
    lookup: storeAudioLookup(() => runner.active()?.core.store ?? null),
    demoMediaOrigin: () => {
      const simulator = runner.active()?.core.simulator;
      return simulator ? new URL(simulator.apiUrl).origin : null;
    },
  });
  const { handlers, events } = runner;
  const stops = [
    registerContract({ ipcMain, handlers, events, contents: windows.contents }),
    registerDragOut({
      ipcMain,
      roots: dragRoots(config.dataDir),
      icon: join(resources, 'drag.png'),
      contents: windows.contents,
      log,
    }),
    startNotifications({
      events,
      getTask: (id) => handlers['tasks.get']({ id }).catch(() => null),
      countRunning: async () => (await runner.current()).core.store.tasks.activeTasks().length,
      window: windows.current,
      openTask: (taskId) => {
        show();
        windows.send({ type: 'open-task', taskId });
      },
      badgeIcon: join(resources, 'badge.png'),
    }),
  ];
  installAppMenu({ dataDir: config.dataDir, handlers, openFiles: handOver });
  powerMonitor.on('resume', () => runner.active()?.tunnel?.reconnect());
  // Finish in-flight callback writes, close the database, drop host.json, then really quit.
  quitGracefully({
    shutdown: async () => {
      for (const stop of stops) stop();
      await runner.close();
      await vault.flush();
    },
    finishNow: () => runner.active()?.closeNow(),
    log,
  });
  windows.open();
}

function handOver(paths: string[]): void {
  show();
  windows.send({ type: 'open-files', paths });
}

function readConfig(): HostConfig | null {
  try {
    return readHostConfig(process.env);
  } catch (error) {
    fatal(error);
    return null;
  }
}

applyAppIdentity(app);
registerSchemes();
const config = readConfig();
// Chromium's profile (and the single-instance lock) live beside the data they serve, so two data
// folders can each have their app, and one folder never has two.
if (config) app.setPath('userData', join(config.dataDir, 'electron'));
const instance = config ? claimSingleInstance({ openFiles: handOver, showWindow: show }) : null;
if (config && !instance) app.quit();
if (config && instance) {
  app
    .whenReady()
    .then(() => start(config))
    .then(() => instance.markStarted())
    .catch(fatal);
}
