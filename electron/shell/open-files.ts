// Audio files handed to the app from outside: a second launch's argv ("Open with", a file dropped on
// the app icon), macOS open-file events and the File > Open dialog. Only existing audio files pass.
import { statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';

export const AUDIO_EXTENSIONS = ['mp3', 'wav', 'flac', 'aif', 'aiff', 'm4a'] as const;

export function isAudioFile(path: string): boolean {
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(extname(path).slice(1).toLowerCase())) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Picks the audio files out of a command line; flags, the executable and the app folder fall away. */
export function audioPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const found = argv
    .slice(1)
    .filter((arg) => arg !== '' && !arg.startsWith('-'))
    .map((arg) => (isAbsolute(arg) ? arg : resolve(cwd, arg)))
    .filter(isAudioFile);
  return [...new Set(found)];
}
