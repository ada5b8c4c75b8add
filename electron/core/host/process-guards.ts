// Last-resort safety nets for the host process: a storage fault (disk full, database busy) that
// escaped a background path is logged and survived; anything else is a bug and is logged loudly.
import { storageFaultKind } from '../store/index.ts';

let isInstalled = false;

export interface ProcessGuardOptions {
  log?: (line: string) => void;
  /** `stemhook serve` exits on an uncaught bug as Node would; the desktop app keeps its window. */
  exitOnUncaughtBug?: boolean;
}

export function installProcessGuards(options: ProcessGuardOptions = {}): void {
  if (isInstalled) return;
  isInstalled = true;
  const log = options.log ?? ((line: string) => console.error(line));
  const survived = (kind: string, error: unknown): void =>
    log(`stemhook: storage fault (${kind}) in a background task; it is retried: ${String(error)}`);
  process.on('unhandledRejection', (reason) => {
    const kind = storageFaultKind(reason);
    if (kind !== null) return survived(kind, reason);
    // A rejected promise leaves nothing half-done: keep serving, but make the bug impossible to miss.
    console.error('stemhook: BUG: unhandled promise rejection (the host keeps running):', reason);
  });
  process.on('uncaughtException', (error) => {
    const kind = storageFaultKind(error);
    // better-sqlite3 rolled the failed statement back, so the host can go on.
    if (kind !== null) return survived(kind, error);
    console.error('stemhook: BUG: uncaught exception:', error);
    if (options.exitOnUncaughtBug !== false) process.exit(1);
  });
}
