// Background work yields the CPU to playback: decode and analysis threads run at a lower priority,
// so a split ingesting on a 2-core laptop does not starve the studio's renderer, its audio thread
// or the host thread that serves the streamed PCM. They still get every idle cycle.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Unix niceness for background threads: 10 gets about a tenth of a contended core beside 0. */
export const BACKGROUND_NICENESS = 10;

/**
 * Lowers the priority of the calling worker thread alone; answers whether it did. Linux only: there a
 * thread has its own niceness (setpriority on its thread id); elsewhere the same call would lower the
 * whole process, the host's main thread included, so nothing is changed.
 */
export function lowerThisThreadPriority(niceness = BACKGROUND_NICENESS): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // "<pid>/task/<tid>" for the calling thread.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    // The main thread's id is the process id: lowering it would slow the host itself.
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    // No /proc, or a sandbox that forbids it: the thread runs at the normal priority.
    return false;
  }
}
