// Storage faults the host survives (disk full, database busy): recognises them, remembers the current
// one for the status bar and `stemhook status`, and probes with a small write until writing works again.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StorageStatus } from '../../../shared/api.ts';
import type { Store } from './interface.ts';
import { createBackoff } from '../backoff.ts';

export type StorageFaultKind = Exclude<StorageStatus['state'], 'ok'>;

const DISK_FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
/** Store errors that are not a fault of ours: the disk or the database file refused a write. */
const OTHER_STORAGE_CODES =
  /^(SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)|EIO|EROFS|EACCES|EPERM)/;
const PROBE_KEY = 'storage.lastProbeAt';
/** Big enough that a disk with only a few blocks left still counts as full. */
const PROBE_FILE_BYTES = 64 * 1024;

function codesOf(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 3) return [];
  const record = error as { code?: unknown; cause?: unknown };
  const own = typeof record.code === 'string' ? [record.code] : [];
  return [...own, ...codesOf(record.cause, depth + 1)];
}

/** Null when the error is not a storage fault (a programming error, a network error …). */
export function storageFaultKind(error: unknown): StorageFaultKind | null {
  const codes = codesOf(error);
  if (codes.some((code) => DISK_FULL_CODES.has(code))) return 'disk_full';
  if (codes.some((code) => code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return 'busy';
  if (codes.some((code) => OTHER_STORAGE_CODES.test(code))) return 'failing';
  return null;
}

const MESSAGES: Record<StorageFaultKind, string> = {
  disk_full:
    'Disk full: Stemhook cannot save to its library. Free some space on that disk; waiting work resumes by itself.',
  busy: 'Database busy: another program is holding the Stemhook library database. Close it; waiting work resumes by itself.',
  failing:
    'The library cannot be written right now. Check that its folder is writable; waiting work resumes by itself.',
};

export interface StorageWatchOptions {
  store: Store;
  dataDir: string;
  log: (line: string) => void;
  /** The condition changed (the status bar re-reads host.status). */
  onChange?: () => void;
  /** Writing works again: work refused meanwhile (callbacks, polls, downloads) should be picked up now. */
  onRecovered?: () => void;
}

export type StorageWatch = ReturnType<typeof createStorageWatch>;

export function createStorageWatch(options: StorageWatchOptions) {
  const { store, log } = options;
  let fault: { kind: StorageFaultKind; since: number; detail: string } | null = null;
  let probeTimer: NodeJS.Timeout | null = null;
  let isClosed = false;
  const backoff = createBackoff(250, 5000);

  function set(kind: StorageFaultKind, detail: string, where: string): void {
    if (fault?.kind === kind) return;
    fault = { kind, since: Date.now(), detail };
    log(`${where}: ${MESSAGES[kind]} (${detail})`);
    options.onChange?.();
  }

  /** One small database write and one small file in the data folder: both must succeed. */
  function probe(): void {
    probeTimer = null;
    if (isClosed || !fault || !store.isOpen()) return;
    const file = join(options.dataDir, '.storage-probe');
    try {
      writeFileSync(file, Buffer.alloc(PROBE_FILE_BYTES));
      rmSync(file);
      // A probe must not freeze the event loop for the busy timeout: a locked database fails it at once.
      store.withoutBusyWait(() => store.settings.set(PROBE_KEY, String(Date.now())));
    } catch (error) {
      try {
        rmSync(file, { force: true });
      } catch {
        // a folder that refuses even this is reported by the next probe
      }
      set(storageFaultKind(error) ?? fault.kind, describe(error), 'storage');
      armProbe();
      return;
    }
    log(`storage: writing works again after ${Math.round((Date.now() - fault.since) / 1000)} s`);
    fault = null;
    backoff.reset();
    options.onChange?.();
    options.onRecovered?.();
  }

  function armProbe(): void {
    if (probeTimer || isClosed) return;
    probeTimer = setTimeout(probe, backoff.next());
    probeTimer.unref();
  }

  return {
    /**
     * A background write failed. A storage fault is logged once per episode, shown in the status and
     * probed until it clears; anything else is a bug and is logged loudly with its stack. Never throws.
     */
    failed(where: string, error: unknown): StorageFaultKind | null {
      const kind = storageFaultKind(error);
      if (kind === null) {
        console.error(`stemhook: BUG in ${where} (the host keeps running):`, error);
        return null;
      }
      set(kind, describe(error), where);
      armProbe();
      return kind;
    },
    current(): StorageStatus {
      return fault
        ? { state: fault.kind, message: MESSAGES[fault.kind], since: fault.since }
        : { state: 'ok', message: null, since: null };
    },
    close(): void {
      isClosed = true;
      if (probeTimer) clearTimeout(probeTimer);
      probeTimer = null;
    },
  };
}

function describe(error: unknown): string {
  const codes = codesOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return codes.length > 0 ? `${codes[0]}: ${message}` : message;
}
