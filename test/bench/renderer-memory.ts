// The memory of the Chromium renderers a benchmark started, read from /proc: once on demand, or
// sampled every few hundred milliseconds on a worker thread. The benchmark's process also runs the
// host that serves the page its audio; walking /proc and every renderer's smaps_rollup takes a few
// milliseconds of its thread each time, so sampled on the main thread it delayed the very answers
// (a seek's PCM) the benchmark times.
import { readdirSync, readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface RendererMemory {
  rss: number;
  pss: number;
  /** What Chromium counts as a process's memory on Linux (its task manager's "Memory footprint",
   * memory-infra's private_footprint): private anonymous pages plus swap. */
  footprint: number;
  /** The renderer with the largest RSS: the page's (the others hold no page). */
  pid: number;
  /** That renderer's RSS by kind: anonymous, file-backed, shared memory (MB). */
  parts: { anon: number; file: number; shmem: number };
}

const kb = (text: string, key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);

/** The Chromium renderer processes started by `ancestor` (the benchmark's process). */
function rendererPids(ancestor: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === ancestor) return true;
    return false;
  };
  return [...parents.keys()].filter((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      // Headless Chromium also runs a renderer for its own browser UI (`--top-chrome-webui`, about
      // 158 MB RSS): never the page, and as large as the library page, so it is left out.
      return isOurs(pid) && command.includes('--type=renderer') && !command.includes('--top-chrome-webui');
    } catch {
      return false;
    }
  });
}

/** The memory of `pids` (renderers), in MB; PSS only when asked (smaps_rollup walks the pages). */
function memoryOf(pids: number[], withPss: boolean): RendererMemory {
  const memory: RendererMemory = {
    rss: 0,
    pss: 0,
    footprint: 0,
    pid: 0,
    parts: { anon: 0, file: 0, shmem: 0 },
  };
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = kb(status, 'VmRSS') / 1024;
      if (rss > memory.rss) {
        memory.pid = pid;
        memory.parts = {
          anon: Math.round(kb(status, 'RssAnon') / 1024),
          file: Math.round(kb(status, 'RssFile') / 1024),
          shmem: Math.round(kb(status, 'RssShmem') / 1024),
        };
      }
      memory.rss = Math.max(memory.rss, rss);
      memory.footprint = Math.max(memory.footprint, (kb(status, 'RssAnon') + kb(status, 'VmSwap')) / 1024);
      if (withPss)
        memory.pss = Math.max(
          memory.pss,
          kb(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') / 1024,
        );
    } catch {
      // the process ended while we looked
    }
  }
  return memory;
}

/** The renderers started by `ancestor` (the benchmark's process), in MB, PSS included. */
export function rendererMemoryMb(ancestor = process.pid): RendererMemory {
  return memoryOf(rendererPids(ancestor), true);
}

/**
 * Samples rendererMemoryMb every `intervalMs` on a worker thread and hands each sample to `onSample`
 * on this one (a message, not a walk of /proc). `stop` ends the worker.
 */
export function sampleRendererMemory(
  intervalMs: number,
  onSample: (memory: RendererMemory) => void,
): { stop: () => Promise<void> } {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { role: 'renderer-memory-sampler', intervalMs, ancestor: process.pid },
  });
  worker.on('message', (memory: RendererMemory) => onSample(memory));
  worker.on('error', (error) => console.error(`memory sampler failed: ${error.message}`));
  return {
    async stop() {
      await worker.terminate();
    },
  };
}

const job = workerData as { role?: string; intervalMs?: number; ancestor?: number } | null;
if (!isMainThread && job?.role === 'renderer-memory-sampler') {
  // The sampler shares two cores with the page and the host: the walk of /proc for new renderers and
  // the PSS (a walk of the renderer's pages) every fifth sample, its RSS counters every time.
  const ancestor = job.ancestor ?? process.ppid;
  let pids: number[] = [];
  let count = 0;
  setInterval(() => {
    const isFull = count++ % 5 === 0;
    if (isFull) pids = rendererPids(ancestor);
    parentPort?.postMessage(memoryOf(pids, isFull));
  }, job.intervalMs ?? 200);
}
