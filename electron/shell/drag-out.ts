// Drag-out of exported stems into a DAW or the file manager. The page names the files, so main
// checks every one: a regular file that really (after symlinks) sits in the drag cache.
import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMain, IpcMainEvent } from 'electron';
import { isInside } from '../core/host/library-files.ts';
import { MAX_DRAG_FILES, START_DRAG_CHANNEL } from './contract-bridge.ts';
import { isTrustedSender, type WindowContents } from './ipc-contract.ts';

export class DragError extends Error {
  code: 'bad_input' | 'not_allowed' | 'missing';

  constructor(code: DragError['code'], message: string) {
    super(message);
    this.name = 'DragError';
    this.code = code;
  }
}

/** The only folder whose files may be dragged out: the export module's drag cache (export.prepareDrag). */
export function dragRoots(dataDir: string): string[] {
  return [join(dataDir, 'drag-cache')];
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

export function resolveDragFiles(roots: string[], paths: unknown): string[] {
  if (
    !Array.isArray(paths) ||
    paths.length === 0 ||
    paths.length > MAX_DRAG_FILES ||
    !paths.every((p) => typeof p === 'string' && p !== '')
  ) {
    throw new DragError('bad_input', `drag takes 1 to ${MAX_DRAG_FILES} file paths`);
  }
  const realRoots = roots.map(realOrNull).filter((root): root is string => root !== null);
  return paths.map((path: string) => {
    const real = realOrNull(path);
    if (!real) throw new DragError('missing', 'A dragged file does not exist');
    if (!realRoots.some((root) => isInside(root, real)))
      throw new DragError('not_allowed', 'Only prepared export files can be dragged out');
    if (!statSync(real).isFile()) throw new DragError('not_allowed', 'Only files can be dragged out');
    return real;
  });
}

export function registerDragOut(options: {
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>;
  roots: string[];
  /** Drag image; a path works and must not be empty on macOS. */
  icon: string;
  contents: WindowContents;
  log: (line: string) => void;
}): () => void {
  const listener = (event: IpcMainEvent, paths: unknown): void => {
    if (!isTrustedSender(event, options.contents())) return;
    try {
      const files = resolveDragFiles(options.roots, paths);
      event.sender.startDrag({ file: files[0] ?? '', files, icon: options.icon });
    } catch (error) {
      options.log(`drag-out refused: ${(error as Error).message}`);
    }
  };
  options.ipcMain.on(START_DRAG_CHANNEL, listener);
  return () => void options.ipcMain.removeListener(START_DRAG_CHANNEL, listener);
}
