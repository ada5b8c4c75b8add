// Checks and creates an export folder with plain reasons: it must be an absolute path, and the
// nearest folder that exists must accept a new folder (tried for real with a hidden probe made and
// removed at once: permission bits say nothing for root or under /proc). Creation walks the path
// one level at a time (never Node's recursive mkdir, which loops forever under /proc).
import { randomUUID } from 'node:crypto';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { ExportError } from './errors.ts';

/** Deeper paths than this are refused rather than walked. */
const MAX_DEPTH = 64;

function refuse(folder: string, reason: string): never {
  throw new ExportError('bad_request', `Cannot export to ${folder}: ${reason}. Choose another folder.`);
}

/** Why a configured folder text is unusable before touching the disk, or null when it is fine. */
export function folderTextProblem(folder: unknown): string | null {
  if (typeof folder !== 'string' || folder.trim() === '') return 'The export folder is empty';
  if (folder.includes('\0')) return 'The export folder contains a NUL character';
  if (!isAbsolute(folder))
    return `The export folder ${folder} is not an absolute path (start it at / or a drive)`;
  if (normalize(folder).split(/[\\/]+/).length > MAX_DEPTH) return `The export folder ${folder} is too deep`;
  return null;
}

function reasonFor(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `you have no permission to write in ${dirname(path)}`;
  if (code === 'EROFS') return `${dirname(path)} is on a read-only drive`;
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOTDIR') return `${path} is a file, not a folder`;
  if (code === 'ENOENT') return `the system does not allow folders in ${dirname(path)}`;
  return `the system refused it (${code ?? String(error)})`;
}

async function isFolder(path: string): Promise<boolean | null> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The folders from the nearest existing one down to `folder`, checking that nearest one. */
async function missingLevels(folder: string): Promise<string[]> {
  const problem = folderTextProblem(folder);
  if (problem) throw new ExportError('bad_request', `${problem}. Choose another folder.`);
  const missing: string[] = [];
  for (let path = normalize(folder); ; path = dirname(path)) {
    const kind = await isFolder(path).catch((error: unknown) => refuse(folder, reasonFor(error, path)));
    if (kind === false) refuse(folder, `${path} is a file, not a folder`);
    if (kind === true) {
      return missing.reverse();
    }
    missing.push(path);
    if (dirname(path) === path || missing.length > MAX_DEPTH) refuse(folder, 'no part of it exists');
  }
}

/** Throws a bad_request ExportError saying why `folder` cannot be used; leaves nothing behind. */
export async function checkExportFolder(folder: string): Promise<void> {
  const missing = await missingLevels(folder);
  const parent = missing.length > 0 ? dirname(missing[0] as string) : normalize(folder);
  const probe = join(parent, `.stemhook-probe-${randomUUID()}`);
  await mkdir(probe).catch((error: unknown) => refuse(folder, reasonFor(error, missing[0] ?? probe)));
  await rmdir(probe);
}

/** Creates `folder` level by level (each level once), or says why it cannot. */
export async function ensureExportFolder(folder: string): Promise<void> {
  for (const path of await missingLevels(folder)) {
    await mkdir(path).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST' && (await isFolder(path))) return;
      refuse(folder, reasonFor(error, path));
    });
  }
}
