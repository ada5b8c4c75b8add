// Runs a planned export: stems (two at a time), the mixdown, MIDI files, the sessions and provenance.json,
// reporting progress as it goes. The set is written into a hidden staging folder and published
// only when all of it succeeded: a failure leaves the folder exactly as it was.
import { writeFile } from 'node:fs/promises';
import type { Events, ExportResultView } from '../../../shared/api.ts';
import { buildLrc } from '../../../shared/lyrics.ts';
import { buildDawProject } from './dawproject.ts';
import { ExportError } from './errors.ts';
import { ensureExportFolder } from './folder.ts';
import { renderMixdown, type MixdownReport, type MixInput } from './mixdown.ts';
import { commonRate, type ExportPlan } from './plan.ts';
import { buildProvenance } from './provenance.ts';
import { renderStem } from './render-stem.ts';
import { buildRpp } from './rpp.ts';
import { buildSmf } from './smf.ts';
import { sessionInput, toPlanView } from './plan-view.ts';
import { createStaging, type Staging } from './staging.ts';
import { dbToLinear } from './session-types.ts';

export type ProgressEvent = Events['export.progress'];

export interface RunDeps {
  appVersion: string;
  now?: () => number;
  onProgress?: (event: ProgressEvent) => void;
  /** Stems rendered at once: the copy path is disk-bound, the convert path CPU-bound. */
  concurrency?: number;
  /** Told the folder before its staging folder is made, so a start after a crash can clean it. */
  onStaging?: (folder: string) => void;
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
  const total = plan.frames * (plan.stems.length + (plan.mixdown ? 1 : 0) + (plan.residual ? 1 : 0));
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
  let staging: Staging | null = null;
  try {
    await ensureExportFolder(plan.folder);
    deps.onStaging?.(plan.folder);
    staging = await createStaging(plan.folder, plan.exportId);
    const staged = staging.pathOf;
    emit('stems', null, null, true);
    // The residual is written exactly like a stem: same start, length, rate and format.
    const wavs = [...plan.stems, ...(plan.residual ? [plan.residual] : [])];
    await inPool(wavs, deps.concurrency ?? 2, async (stem) => {
      await renderStem(
        stem.pcm,
        {
          path: staged(stem.path),
          sampleFormat: plan.sampleFormat,
          sampleRate: plan.sampleRate,
          frames: plan.frames,
          overwrite: false,
          ditherSeed: wavs.indexOf(stem) + 1,
        },
        (frames) => {
          done.set(stem.path, frames);
          emit('stems', stem.name);
        },
      );
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
          path: staged(target.path),
          sampleFormat: plan.sampleFormat,
          sampleRate: plan.sampleRate,
          frames: plan.frames,
          overwrite: false,
        },
        (fraction) => {
          done.set(target.path, Math.round(fraction * plan.frames));
          emit('mixdown', target.name);
        },
      );
    }
    for (const file of plan.midi) {
      const bytes = buildSmf({ title: plan.title, tempoBpm: plan.tempoBpm, instruments: file.instruments });
      await writeFile(staged(file.path), bytes, { flag: 'wx' });
    }
    emit('sessions', null, null, true);
    const session = { ...sessionInput(plan), appVersion: deps.appVersion };
    for (const file of plan.sessions) {
      const bytes = file.format === 'dawproject' ? buildDawProject(session) : buildRpp(session, now() / 1000);
      await writeFile(staged(file.path), bytes, { flag: 'wx' });
    }
    if (plan.lrc && plan.lyrics) {
      const lrc = buildLrc(plan.title, plan.lyrics.lines, plan.frames / plan.sampleRate);
      await writeFile(staged(plan.lrc.path), lrc, { flag: 'wx' });
    }
    const provenance = buildProvenance(plan, { exportedAt: now(), appVersion: deps.appVersion, mixdown });
    await writeFile(staged(plan.provenance.path), `${JSON.stringify(provenance, null, 2)}\n`, { flag: 'wx' });
    await staging.publish(
      [
        ...plan.stems.map((s) => s.path),
        ...plan.midi.map((m) => m.path),
        ...(plan.mixdown ? [plan.mixdown.path] : []),
        ...(plan.residual ? [plan.residual.path] : []),
        ...plan.sessions.map((s) => s.path),
        ...(plan.lrc ? [plan.lrc.path] : []),
        plan.provenance.path,
      ],
      overwrite,
    );
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
    // Nothing was published (or the publish was undone): dropping the staging folder is all.
    await staging?.discard().catch(() => undefined);
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
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ExportError(
      'io',
      'The disk is full: the export was not written and the folder is unchanged. Free some space and export again.',
    );
  if (typeof code === 'string' && code.startsWith('E'))
    return new ExportError('io', `Could not write the export, so the folder is unchanged: ${message}`);
  return new ExportError('io', `Export failed: ${message}`);
}
