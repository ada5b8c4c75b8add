// Asks a Node child to write its V8 coverage before a test SIGKILLs it (see flush-on-signal.mjs);
// does nothing outside a coverage run.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COVERAGE_DIR_ENV } from './records.ts';

export async function flushChildCoverage(child: ChildProcess): Promise<void> {
  // Only in `npm run coverage`, whose children all load the SIGUSR2 handler (any other
  // NODE_V8_COVERAGE user's children would die of the signal instead).
  const dir = process.env[COVERAGE_DIR_ENV] && process.env.NODE_V8_COVERAGE;
  if (!dir || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const marker = join(dir, `flushed-${child.pid}`);
  child.kill('SIGUSR2');
  // Bounded: a child that is not Node, or is stuck, keeps its coverage and is killed anyway.
  for (let attempt = 0; attempt < 200 && !existsSync(marker); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 25));
}
