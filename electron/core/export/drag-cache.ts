// The drag-out cache: each lane rendered ahead of time as an aligned 24-bit WAV named like an
// export (`<Title>_<Stem>.wav`, the name a DAW gives the clip), so Electron's startDrag gets real
// files at once. Entries are keyed by what they were made from and evicted least recently used.
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DragFileView } from '../../../shared/api.ts';
import { STEM_LABELS } from '../../../shared/api.ts';
import { exportFileName } from '../../../shared/naming.ts';
import { ExportError } from './errors.ts';
import { commonRate } from './plan.ts';
import { renderStem } from './render-stem.ts';
import { resampledLength } from './resampler.ts';
import type { Store } from '../store/index.ts';
import { lineageOf, taskOrThrow, type SourceFinder } from './sources.ts';

export interface DragCacheOptions {
  store: Store;
  finder: SourceFinder;
  cacheDir: string;
  /** Total size the cache may keep; the least recently used entries go first. */
  maxBytes?: number;
}

const SAFE_ID = /^[A-Za-z0-9-]{1,128}$/;
const KEY_FILE = 'key.json';

export function createDragCache(options: DragCacheOptions) {
  const { store, finder, cacheDir } = options;
  const maxBytes = options.maxBytes ?? 4 * 1024 ** 3;
  const inFlight = new Map<string, Promise<DragFileView>>();

  async function render(trackId: string): Promise<DragFileView> {
    if (typeof trackId !== 'string' || !SAFE_ID.test(trackId))
      throw new ExportError('bad_request', `Not a track id: ${JSON.stringify(trackId)}`);
    const { task } = finder.trackContext(trackId);
    // Every lane of the task, so all drag files of one song share one length.
    const lanes = finder.lanes(task, undefined, true);
    const lane = lanes.find((l) => l.track.id === trackId);
    if (!lane) throw new ExportError('not_ready', 'This track has not been downloaded and decoded yet.');
    const rate = commonRate(lanes.map((l) => l.pcm.sampleRate));
    const frames = Math.max(...lanes.map((l) => resampledLength(l.pcm.sampleCount, l.pcm.sampleRate, rate)));
    const title =
      lineageOf(store, task)
        .map((t) => t.title ?? t.source_name?.replace(/\.[^.]+$/, ''))
        .find(Boolean) ?? 'Untitled';
    const name = exportFileName(
      title,
      finder.labels(task).get(trackId) ?? STEM_LABELS[lane.track.stem],
      'wav',
    );
    const dir = join(cacheDir, trackId);
    const path = join(dir, name);
    const key = JSON.stringify({ v: 1, pcm: lane.pcm, rate, frames, name });
    const cached = await readFile(join(dir, KEY_FILE), 'utf8').catch(() => null);
    if (cached === key && (await stat(path).catch(() => null))) {
      const at = new Date();
      await utimes(join(dir, KEY_FILE), at, at).catch(() => undefined);
      return { trackId, path, name, sampleCount: frames };
    }
    await rm(dir, { recursive: true, force: true });
    // Not recursive: the cache folder must exist already (a closed core's data folder stays gone).
    await mkdir(dir);
    await renderStem(lane.pcm, { path, sampleFormat: 'pcm24', sampleRate: rate, frames, overwrite: true });
    await writeFile(join(dir, KEY_FILE), key);
    await evict(new Set([trackId]));
    return { trackId, path, name, sampleCount: frames };
  }

  async function evict(keep: Set<string>): Promise<void> {
    const entries = await readdir(cacheDir).catch(() => [] as string[]);
    const sized = await Promise.all(
      entries.map(async (id) => {
        const files = await readdir(join(cacheDir, id)).catch(() => [] as string[]);
        const stats = await Promise.all(files.map((f) => stat(join(cacheDir, id, f)).catch(() => null)));
        const usedAt = (await stat(join(cacheDir, id, KEY_FILE)).catch(() => null))?.mtimeMs ?? 0;
        return { id, usedAt, bytes: stats.reduce((sum, s) => sum + (s?.size ?? 0), 0) };
      }),
    );
    let total = sized.reduce((sum, e) => sum + e.bytes, 0);
    for (const entry of sized.sort((a, b) => a.usedAt - b.usedAt)) {
      if (total <= maxBytes) break;
      if (keep.has(entry.id)) continue;
      await rm(join(cacheDir, entry.id), { recursive: true, force: true });
      total -= entry.bytes;
    }
  }

  function prepareOne(trackId: string): Promise<DragFileView> {
    const running = inFlight.get(trackId);
    if (running) return running;
    const job = render(trackId).finally(() => inFlight.delete(trackId));
    inFlight.set(trackId, job);
    return job;
  }

  return {
    /** Cached paths for these tracks, rendering the missing ones now. */
    async prepare(trackIds: readonly string[]): Promise<DragFileView[]> {
      if (!Array.isArray(trackIds) || trackIds.length === 0)
        throw new ExportError('bad_request', 'Give at least one track id');
      const files: DragFileView[] = [];
      for (const id of trackIds) files.push(await prepareOne(id));
      return files;
    },
    /** Renders every ready lane of a task in the background (after its downloads finish). */
    async warmTask(taskId: string): Promise<number> {
      const task = taskOrThrow(store, taskId);
      const lanes = finder.lanes(task, undefined, true);
      for (const lane of lanes) await prepareOne(lane.track.id);
      return lanes.length;
    },
  };
}

export type DragCache = ReturnType<typeof createDragCache>;
