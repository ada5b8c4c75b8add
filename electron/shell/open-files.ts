// Audio files handed to the app from outside: a second launch's argv ("Open with", a file dropped on
// the app icon), macOS open-file events and the File > Open dialog. Only existing audio files pass.
import { statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const AUDIO_EXTENSIONS = ['mp3', 'wav', 'flac', 'aif', 'aiff', 'm4a'] as const;

export function isAudioFile(path: string): boolean {
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(extname(path).slice(1).toLowerCase())) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A command-line argument as a path: Linux desktop entries pass `%U`, so "Open with Stemhook"
 * hands over `file:///home/me/My%20Song.mp3`; a relative path is taken from the caller's folder.
 * Other URLs (and file URLs naming another host) are not ours to open.
 */
export function pathFromArgument(arg: string, cwd: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) && !/^[a-z]:[\\/]/i.test(arg)) {
    if (!/^file:/i.test(arg)) return null;
    try {
      return fileURLToPath(arg);
    } catch {
      return null;
    }
  }
  return isAbsolute(arg) ? arg : resolve(cwd, arg);
}

/** Picks the audio files out of a command line; flags, the executable and the app folder fall away. */
export function audioPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const found = argv
    .slice(1)
    .filter((arg) => arg !== '' && !arg.startsWith('-'))
    .map((arg) => pathFromArgument(arg, cwd))
    .filter((path): path is string => path !== null && isAudioFile(path));
  return [...new Set(found)];
}
