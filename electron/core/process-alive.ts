// Whether a process with this PID exists (EPERM: it exists but belongs to another user). A PID
// alone never proves the process is ours: PIDs are reused, so callers pair it with other evidence.

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
