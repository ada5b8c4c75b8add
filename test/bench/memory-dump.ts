// Chromium memory-infra dumps of the page's renderer, for the streaming bench's `--memory-dump`: where
// the renderer's memory goes, by allocator (PartitionAlloc per partition, malloc, each V8 isolate,
// Oilpan, shared memory, …), next to what the kernel counts for the same process
// (/proc/<pid>/smaps_rollup). Through the DevTools protocol: tracing with the
// `disabled-by-default-memory-infra` category and no periodic triggers, one
// `Tracing.requestMemoryDump` (detailed) per moment; the dumps arrive as trace events ("ph": "v")
// when tracing ends.
import { readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { withTimeout } from './report.ts';

/** One moment's dump of one process: bytes per allocator dump name, and the kernel's view in KB. */
export interface MemoryMoment {
  label: string;
  pid: number;
  /** memory-infra's `size` of every allocator dump of the process (bytes), by its full name. */
  allocators: Record<string, number>;
  /** /proc/<pid>/smaps_rollup and /proc/<pid>/status fields, KB. */
  kernelKb: Record<string, number>;
}

interface TraceEvent {
  ph: string;
  pid: number;
  id?: string;
  name?: string;
  args?: { dumps?: { allocators?: Record<string, { attrs?: Record<string, { value?: string }> }> } };
}

/** Kernel counters of one process (KB): what RSS is made of, private anonymous memory above all. */
export function kernelMemoryKb(pid: number): Record<string, number> {
  const fields: Record<string, number> = {};
  const read = (path: string, keys: string[]) => {
    const text = readFileSync(path, 'utf8');
    for (const key of keys)
      fields[key] = Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  };
  read(`/proc/${pid}/smaps_rollup`, ['Rss', 'Pss', 'Pss_Anon', 'Anonymous', 'Private_Dirty', 'Shared_Clean']);
  read(`/proc/${pid}/status`, ['RssAnon', 'RssFile', 'RssShmem']);
  return fields;
}

export interface MemoryTracer {
  /** Asks every process for a detailed dump now; `pid` is the renderer to report. */
  dump(label: string, pid: number, options?: { deterministic?: boolean }): Promise<void>;
  /** Ends tracing and returns each moment's dump of its renderer. */
  finish(): Promise<MemoryMoment[]>;
}

export async function startMemoryTracer(page: Page): Promise<MemoryTracer> {
  const session: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
  await session.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['disabled-by-default-memory-infra'],
      excludedCategories: ['*'],
      // No periodic dumps: only the ones asked for (the protocol types this object loosely).
      memoryDumpConfig: { triggers: [] } as unknown as Record<string, string>,
    },
  });
  const asked: Array<{ label: string; pid: number; kernelKb: Record<string, number> }> = [];
  return {
    async dump(label, pid, options = {}) {
      const kernelKb = kernelMemoryKb(pid);
      const answer = await withTimeout(
        session.send('Tracing.requestMemoryDump', {
          levelOfDetail: 'detailed',
          deterministic: options.deterministic ?? false,
        }),
        `memory dump "${label}"`,
        60_000,
      );
      if (!answer.success) throw new Error(`memory dump "${label}" failed`);
      asked.push({ label, pid, kernelKb });
    },
    async finish() {
      await session.send('Tracing.end');
      await withTimeout(complete, 'the memory trace', 120_000);
      await session.detach().catch(() => undefined);
      // The dump ids in the trace count the dumps of this session (0, 1, …), not the guid
      // requestMemoryDump answers, so the n-th dump asked is the n-th id; a process writes a dump as
      // more than one event (allocators apart from its totals), merged here.
      const ids = [...new Set(events.filter((e) => e.ph === 'v' && e.id).map((e) => BigInt(e.id ?? 0)))].sort(
        (a, b) => (a < b ? -1 : 1),
      );
      if (ids.length !== asked.length)
        throw new Error(`memory trace: ${asked.length} dumps asked, ${ids.length} in the trace`);
      return asked.map(({ label, pid, kernelKb }, n) => {
        const allocators: Record<string, number> = {};
        for (const event of events) {
          if (event.ph !== 'v' || event.pid !== pid || BigInt(event.id ?? -1) !== ids[n]) continue;
          for (const [name, dump] of Object.entries(event.args?.dumps?.allocators ?? {})) {
            const size = dump.attrs?.size?.value;
            if (size !== undefined) allocators[name] = parseInt(size, 16);
          }
        }
        if (Object.keys(allocators).length === 0)
          throw new Error(`memory dump "${label}": no allocator dump of renderer ${pid} in the trace`);
        return { label, pid, allocators, kernelKb };
      });
    },
  };
}

/** The rows the README's attribution table shows: allocator dump name (or kernel field) → label. */
const ROWS: Array<[string, string]> = [
  ['kernel:RssAnon', 'private anonymous (RssAnon, kernel)'],
  ['kernel:RssShmem', 'shared memory mapped (RssShmem, kernel)'],
  ['partition_alloc/partitions/array_buffer', 'PartitionAlloc array_buffer'],
  ['partition_alloc/partitions/buffer', 'PartitionAlloc buffer'],
  ['partition_alloc/partitions/fast_malloc', 'PartitionAlloc fast_malloc'],
  ['partition_alloc/partitions/layout', 'PartitionAlloc layout'],
  ['malloc', 'malloc'],
  ['v8/main', 'V8 main isolate'],
  ['v8/workers', 'V8 worker isolates (the AudioWorklet)'],
  ['v8/shared', 'V8 shared'],
  ['blink_gc/main', 'Oilpan (blink_gc) main'],
  ['blink_gc/workers', 'Oilpan (blink_gc) workers'],
  ['shared_memory', 'shared_memory'],
  ['cc', 'cc'],
  ['gpu', 'gpu'],
  ['discardable', 'discardable'],
  ['canvas', 'canvas'],
  ['web_cache', 'web_cache'],
];

/** MB per row for one moment (kernel fields from KB, allocators from bytes; absent: 0). */
export function summarize(moment: MemoryMoment): Record<string, number> {
  const mb = (n: number) => Math.round(n * 10) / 10;
  const row: Record<string, number> = {};
  for (const [key, label] of ROWS) {
    row[label] = key.startsWith('kernel:')
      ? mb((moment.kernelKb[key.slice(7)] ?? 0) / 1024)
      : mb((moment.allocators[key] ?? 0) / 2 ** 20);
  }
  return row;
}

/** A markdown table: one row per allocator, one column per moment. */
export function attributionTable(moments: MemoryMoment[]): string {
  const rows = moments.map(summarize);
  const labels = ROWS.map(([, label]) => label);
  const header = ['MB', ...moments.map((m) => m.label)];
  const body = labels.map((label) => [label, ...rows.map((r) => String(r[label] ?? 0))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/**
 * Playwright enables the DevTools Network domain on every page it drives, with Chromium's default
 * buffers: the inspector then keeps a copy of every response body in the renderer, up to 200 MB
 * (`Network.enable`'s maxTotalBufferSize; PartitionAlloc's `buffer` partition). The streaming
 * engine reads about 2 MB/s, so after a minute that copy was 194 MB of a 290 MB private heap. No
 * app runs with an inspector attached, so the benches measuring renderer memory set those buffers to
 * zero on Playwright's own session (bodies are then not kept; nothing else changes). Playwright has
 * no option for it: this reaches its in-process server objects, and fails loudly if they move.
 */
export async function dropInspectorBodyCopies(page: Page): Promise<void> {
  type Session = { send(method: string, params: object): Promise<unknown> };
  const connection = (page as unknown as { _connection?: { toImpl?: (x: unknown) => unknown } })._connection;
  const server = connection?.toImpl?.(page) as
    { delegate?: { _mainFrameSession?: { _client?: Session } } } | undefined;
  const session = server?.delegate?._mainFrameSession?._client;
  if (!session) throw new Error("Playwright's page session is not where this Playwright version kept it");
  await session.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0 });
}
