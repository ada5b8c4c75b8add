// Asks a Node child to write its V8 coverage before a test SIGKILLs it (see flush-on-signal.ts);
// does nothing outside a coverage run.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where flush-on-signal.ts marks that process `pid` wrote its coverage (undefined: no coverage run). */
export function flushMarker(pid: number): { dir: string; path: string } | undefined {
  const v8Dir = process.env.NODE_V8_COVERAGE;
  if (!v8Dir) return undefined;
  const dir = join(dirname(v8Dir), 'flushed');
  return { dir, path: join(dir, String(pid)) };
}

export async function flushChildCoverage(child: ChildProcess): Promise<void> {
  const marker = child.pid === undefined ? undefined : flushMarker(child.pid);
  if (!marker || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGUSR2');
  // Bounded: a child that is not Node, or is stuck, keeps its coverage and is killed anyway.
  for (let attempt = 0; attempt < 200 && !existsSync(marker.path); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 25));
}
