// CPU time of the calling thread: wall time misleads on a machine shared with other work.

export function threadCpuMs(start: NodeJS.CpuUsage): number {
  const { user, system } = process.threadCpuUsage(start);
  return (user + system) / 1000;
}
