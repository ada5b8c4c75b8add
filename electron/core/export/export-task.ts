// Runs a planned export: stems (two at a time), the mixdown, the session files and provenance.json,
// reporting progress as it goes. Either the whole set appears or, on failure, none of the files
// this export created is left behind.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Events, ExportResultView } from '../../../shared/api.ts';
import { buildDawProject } from './dawproject.ts';
import { ExportError } from './errors.ts';
import { renderMixdown, type MixdownReport, type MixInput } from './mixdown.ts';
import { commonRate, type ExportPlan } from './plan.ts';
import { buildProvenance } from './provenance.ts';
import { renderStem } from './render-stem.ts';
import { buildRpp } from './rpp.ts';
import { sessionInput, toPlanView } from './plan-view.ts';
import { dbToLinear } from './session-types.ts';

export type ProgressEvent = Events['export.progress'];

export interface RunDeps {
  appVersion: string;
  now?: () => number;
  onProgress?: (event: ProgressEvent) => void;
  /** Stems rendered at once: the copy path is disk-bound, the convert path CPU-bound. */
  concurrency?: number;
}

const PROGRESS_EVERY_MS = 100;

async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  let failure: unknown = null;
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && failure === null; item = queue.shift()) {
      await work(item).catch((error: unknown) => {
        failure ??= error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  if (failure !== null) throw failure;
}

export async function runExport(plan: ExportPlan, deps: RunDeps): Promise<ExportResultView> {
  const now = deps.now ?? Date.now;
  const started = now();
  if (plan.options.onConflict === 'ask' && plan.conflicts.length > 0) {
    throw new ExportError(
      'exists',
      `${plan.conflicts.length} file(s) already exist in ${plan.folder}; choose to replace them or to number the new set.`,
      plan.conflicts,
    );
  }
  const overwrite = plan.options.onConflict === 'overwrite';
  const total = plan.frames * (plan.stems.length + (plan.mixdown ? 1 : 0));
  const done = new Map<string, number>();
  let lastEmit = 0;
  const emit = (
    phase: ProgressEvent['phase'],
    file: string | null,
    message: string | null = null,
    force = false,
  ) => {
    const at = now();
    if (!force && at - lastEmit < PROGRESS_EVERY_MS) return;
    lastEmit = at;
    const sum = [...done.values()].reduce((a, b) => a + b, 0);
    deps.onProgress?.({
      exportId: plan.exportId,
      taskId: plan.task.id,
      phase,
      done: Math.min(sum, total),
      total,
      file,
      message,
    });
  };
  const created: string[] = [];
  try {
    await mkdir(plan.folder, { recursive: true });
    emit('stems', null, null, true);
    await inPool(plan.stems, deps.concurrency ?? 2, async (stem) => {
      await renderStem(
        stem.pcm,
        {
          path: stem.path,
          sampleFormat: plan.sampleFormat,
          sampleRate: plan.sampleRate,
          frames: plan.frames,
          overwrite,
          ditherSeed: plan.stems.indexOf(stem) + 1,
        },
        (frames) => {
          done.set(stem.path, frames);
          emit('stems', stem.name);
        },
      );
      created.push(stem.path);
    });
    let mixdown: MixdownReport | null = null;
    if (plan.mixdown) {
      const target = plan.mixdown;
      const isSoloing = plan.stems.some((s) => s.isSoloed);
      const inputs: MixInput[] = plan.stems.map((s) => ({
        source: s.pcm,
        gain: s.isMuted || (isSoloing && !s.isSoloed) ? 0 : dbToLinear(s.gainDb),
      }));
      emit('mixdown', target.name, null, true);
      mixdown = await renderMixdown(
        { inputs, mixRate: commonRate(plan.stems.map((s) => s.pcm.sampleRate)), channels: target.channels },
        {
          path: target.path,
          sampleFormat: plan.sampleFormat,
          sampleRate: plan.sampleRate,
          frames: plan.frames,
          overwrite,
        },
        (fraction) => {
          done.set(target.path, Math.round(fraction * plan.frames));
          emit('mixdown', target.name);
        },
      );
      created.push(target.path);
    }
    emit('sessions', null, null, true);
    const session = { ...sessionInput(plan), appVersion: deps.appVersion };
    const flag = overwrite ? 'w' : 'wx';
    for (const file of plan.sessions) {
      const bytes = file.format === 'dawproject' ? buildDawProject(session) : buildRpp(session, now() / 1000);
      await writeFile(file.path, bytes, { flag });
      created.push(file.path);
    }
    const provenance = buildProvenance(plan, { exportedAt: now(), appVersion: deps.appVersion, mixdown });
    await writeFile(plan.provenance.path, `${JSON.stringify(provenance, null, 2)}\n`, { flag });
    created.push(plan.provenance.path);
    emit('done', null, null, true);
    const view = toPlanView(plan);
    return {
      ...view,
      files: view.files.map((f) => ({ ...f, exists: true })),
      conflicts: [],
      mixdown,
      elapsedMs: now() - started,
    };
  } catch (error) {
    // Only files this export made are removed; anything that was there before stays.
    await Promise.all(created.map((path) => rm(path, { force: true })));
    const failure = toExportError(error);
    emit('failed', null, failure.message, true);
    throw failure;
  }
}

function toExportError(error: unknown): ExportError {
  if (error instanceof ExportError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EEXIST')
    return new ExportError('exists', `A file appeared in the export folder meanwhile: ${message}`);
  if (typeof code === 'string' && code.startsWith('E'))
    return new ExportError('io', `Could not write the export: ${message}`);
  return new ExportError('io', `Export failed: ${message}`);
}
