// host.json tells the CLI (and a second app launch) where the running host listens and its token.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileAtomic } from './private-file.ts';

export interface HostFile {
  pid: number;
  mode: 'demo' | 'live';
  apiUrl: string;
  uiUrl: string;
  receiverUrl: string;
  publicUrl: string | null;
  token: string;
  startedAt: number;
}

export function hostFilePath(dataDir: string): string {
  return join(dataDir, 'host.json');
}

export function writeHostFile(dataDir: string, info: HostFile): () => void {
  const path = hostFilePath(dataDir);
  writePrivateFileAtomic(path, JSON.stringify(info, null, 2));
  return () => {
    try {
      const current = JSON.parse(readFileSync(path, 'utf8')) as HostFile;
      if (current.pid === info.pid) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
}

export function readHostFile(dataDir: string): HostFile | null {
  try {
    return JSON.parse(readFileSync(hostFilePath(dataDir), 'utf8')) as HostFile;
  } catch {
    return null;
  }
}
