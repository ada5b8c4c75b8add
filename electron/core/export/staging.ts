// An export's hidden staging folder inside its destination (same file system, so every rename is
// atomic): the whole set is written there and published only once all of it succeeded. Publishing
// moves the files it replaces aside first and puts them back if a rename fails midway, so a failed
// export never leaves the folder with fewer or different files than before. Staging folders that a
// killed export left behind (old files it had moved aside are put back first) are removed by the
// next export into that folder, and by the next start (the store journals recent export folders).
import { link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SettingsStore } from '../store/index.ts';
import { ExportError } from './errors.ts';
import { isProcessAlive } from '../process-alive.ts';

const PREFIX = '.stemhook-export-';
/** Where replaced files wait inside the staging folder until the publish is over. */
const PREVIOUS = '.previous';

export interface Staging {
  readonly dir: string;
  /** The staged path of a final path in the destination. */
  pathOf(finalPath: string): string;
  /** Moves every staged file to its final path, all or nothing; then removes the staging folder. */
  publish(finalPaths: readonly string[], overwrite: boolean): Promise<void>;
  /** Removes the staging folder and everything in it. */
  discard(): Promise<void>;
}

/** Staging folders of exports that are running in this process (never cleaned as stale). */
const active = new Set<string>();

/** Staging folders in `folder` whose export cannot still be running: its process is gone or it is us. */
export async function removeStaleStaging(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    if (!name.startsWith(PREFIX) || active.has(join(folder, name))) return false;
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    return !Number.isInteger(pid) || pid === process.pid || !isProcessAlive(pid);
  });
  const removed: string[] = [];
  for (const name of stale) {
    if (!(await restorePrevious(folder, join(folder, name)))) continue;
    await rm(join(folder, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * A publish killed midway may have moved old files aside: they go back over whatever is at their
 * name, so the producer has the previous set again. False (keep the folder) if one cannot.
 */
async function restorePrevious(folder: string, stagingDir: string): Promise<boolean> {
  const previous = join(stagingDir, PREVIOUS);
  let isRestored = true;
  for (const name of await readdir(previous).catch(() => [] as string[])) {
    await rename(join(previous, name), join(folder, name)).catch(() => {
      isRestored = false;
    });
  }
  return isRestored;
}

/** 'file', 'other' (a folder, a device...) or null when nothing is there. */
const kindOf = (path: string) =>
  stat(path).then(
    (info) => (info.isFile() ? 'file' : 'other'),
    () => null,
  );
const exists = async (path: string) => (await kindOf(path)) !== null;

/** Puts a staged file at its final path without replacing anything there. */
async function placeNew(staged: string, finalPath: string): Promise<void> {
  try {
    // link() refuses an existing target atomically, which rename() does not.
    await link(staged, finalPath);
    await rm(staged, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || (await exists(finalPath)))
      throw new ExportError('exists', `${finalPath} already exists`, [finalPath]);
    // exFAT/FAT drives have no hard links: checked above, now rename.
    await rename(staged, finalPath);
  }
}

export async function createStaging(folder: string, exportId: string): Promise<Staging> {
  const safeId = exportId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  const dir = join(folder, `${PREFIX}${process.pid}-${safeId}`);
  await removeStaleStaging(folder);
  await mkdir(dir);
  active.add(dir);
  const pathOf = (finalPath: string) => join(dir, basename(finalPath));

  const discard = async () => {
    await rm(dir, { recursive: true, force: true });
    active.delete(dir);
  };

  async function publish(finalPaths: readonly string[], overwrite: boolean): Promise<void> {
    await mkdir(join(dir, PREVIOUS));
    const done: Array<{ finalPath: string; aside: string | null }> = [];
    try {
      for (const finalPath of finalPaths) {
        let aside: string | null = null;
        const kind = overwrite ? await kindOf(finalPath) : null;
        // Overwriting replaces files, never a folder the producer keeps under the same name.
        if (kind === 'other')
          throw new ExportError('exists', `${finalPath} is a folder, not a file; move or rename it`, [
            finalPath,
          ]);
        if (kind === 'file') {
          aside = join(dir, PREVIOUS, basename(finalPath));
          await rename(finalPath, aside);
        }
        try {
          if (overwrite) await rename(pathOf(finalPath), finalPath);
          else await placeNew(pathOf(finalPath), finalPath);
        } catch (error) {
          if (aside) await rename(aside, finalPath).catch(() => undefined);
          throw error;
        }
        done.push({ finalPath, aside });
      }
    } catch (error) {
      // Undo in reverse: the old files back in place (over the new ones), new files removed.
      for (const { finalPath, aside } of done.reverse()) {
        if (aside) await rename(aside, finalPath).catch(() => undefined);
        else await rm(finalPath, { force: true }).catch(() => undefined);
      }
      throw error;
    } finally {
      await discard();
    }
  }

  return { dir, pathOf, publish, discard };
}

const JOURNAL_KEY = 'export.stagingFolders';
const JOURNAL_SIZE = 50;

/** Recent export folders, so a start can remove what an export killed mid-way left in them. */
export function createStagingJournal(settings: SettingsStore) {
  const read = (): string[] => {
    try {
      const list = JSON.parse(settings.get(JOURNAL_KEY) ?? '[]') as unknown;
      return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    remember(folder: string): void {
      const list = read().filter((f) => f !== folder);
      settings.set(JOURNAL_KEY, JSON.stringify([...list, folder].slice(-JOURNAL_SIZE)));
    },
    async sweep(): Promise<void> {
      for (const folder of read()) await removeStaleStaging(folder);
    },
  };
}
