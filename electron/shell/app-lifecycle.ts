// The app's process lifecycle: one instance (a second launch hands its audio files over and quits),
// macOS open-file events, and a quit that first shuts the host down cleanly (and never refuses the
// OS's own logout or shutdown).
import { app, powerMonitor } from 'electron';
import { audioPathsFromArgv, isAudioFile } from './open-files.ts';

export interface SingleInstanceOptions {
  /** Audio files from a second launch, "Open with" or the dock; called once the app has started. */
  openFiles: (paths: string[]) => void;
  /** A second launch happened: show the window. */
  showWindow: () => void;
}

/** False when another instance runs (this one should quit); else returns who to tell once started. */
export function claimSingleInstance(options: SingleInstanceOptions): { markStarted(): void } | null {
  if (!app.requestSingleInstanceLock()) return null;
  let isStarted = false;
  const pending = audioPathsFromArgv(process.argv, process.cwd());
  const deliver = (paths: string[]): void => {
    const audio = paths.filter(isAudioFile);
    if (!isStarted) pending.push(...audio);
    else if (audio.length > 0) options.openFiles(audio);
  };
  app.on('second-instance', (_event, argv, cwd) => {
    if (isStarted) options.showWindow();
    deliver(audioPathsFromArgv(argv, cwd));
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    deliver([path]);
  });
  app.on('activate', () => isStarted && options.showWindow());
  return {
    markStarted(): void {
      isStarted = true;
      deliver(pending.splice(0));
    },
  };
}

const SHUTDOWN_LIMIT_MS = 15_000;

export interface QuitOptions {
  /** The normal, asynchronous shutdown: stop the host, flush the vault. */
  shutdown: () => Promise<void>;
  /**
   * The system is logging out, restarting or powering off: finish what must be on disk now,
   * synchronously (close the database, drop host.json), because the OS will not wait for promises.
   */
  finishNow: () => void;
  log: (line: string) => void;
}

/**
 * Runs `shutdown` once on the first quit request (menu, last window, SIGINT/SIGTERM), then exits;
 * a shutdown stuck past the limit does not keep the app alive forever. When the OS itself is
 * ending the session (powerMonitor `shutdown`: logout, restart, power off), quitting is never
 * refused: refusing would cancel the producer's logout on macOS.
 */
export function quitGracefully(options: QuitOptions): void {
  const { shutdown, finishNow, log } = options;
  let closing: Promise<void> | null = null;
  let isSessionEnding = false;
  let isFinished = false;
  const finishOnce = (): void => {
    if (isFinished) return;
    isFinished = true;
    try {
      finishNow();
    } catch (error) {
      log(`shutdown: ${(error as Error).message}`);
    }
  };
  powerMonitor.on('shutdown', () => {
    isSessionEnding = true;
    log('The system is ending the session: saving and quitting.');
    finishOnce();
    app.quit();
  });
  app.on('before-quit', (event) => {
    if (isSessionEnding) {
      finishOnce();
      return; // let it quit
    }
    event.preventDefault();
    if (closing) return;
    const limit = new Promise<void>((resolve) =>
      setTimeout(() => {
        log(`shutdown: still busy after ${SHUTDOWN_LIMIT_MS / 1000} s; quitting anyway`);
        resolve();
      }, SHUTDOWN_LIMIT_MS).unref(),
    );
    const work = shutdown().catch((error: unknown) => log(`shutdown: ${(error as Error).message}`));
    closing = Promise.race([work, limit]);
    void closing.finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}
