// The contract's export methods (export.plan, export.run, export.prepareDrag) over the store, plus
// the background pre-rendering of drag files once a task's downloads are finished.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ApiHandlers, Events, ExportOptions } from '../../../shared/api.ts';
import type { Emitter } from '../../../shared/emitter.ts';
import type { Store } from '../store/index.ts';
import { createDragCache } from './drag-cache.ts';
import { runExport } from './export-task.ts';
import { checkExportFolder } from './folder.ts';
import { toPlanView } from './plan-view.ts';
import { planExport, type ResidualSource } from './plan.ts';
import { defaultExportDir, rememberOptions } from './presets.ts';
import { createSourceFinder } from './sources.ts';
import { createStagingJournal } from './staging.ts';

export type ExportMethods = 'export.plan' | 'export.run' | 'export.prepareDrag';

export interface ExportHandlerDeps {
  store: Store;
  /** The core's event bus (typed from the contract): progress out, finished downloads in. */
  events: Pick<Emitter<Events>, 'emit' | 'on'>;
  dataDir: string;
  /** Where exports go when neither outDir nor a remembered folder is given. */
  defaultDir?: string;
  appVersion?: string;
  /** Render drag files as soon as a task's downloads finish (the `export.dragPrerender` preference can turn it off). */
  isPrerenderEnabled?: boolean;
  /** The split's residual cache, computed on first use (export with `includeResidual`). */
  residual?: (taskId: string) => Promise<ResidualSource>;
}

const PRERENDER_DELAY_MS = 500;

// package.json is three folders up from electron/core/export/ in dev and two up from out/main/ when
// bundled. Variables, so Vite does not turn the URLs into bundled assets.
const PACKAGE_JSON_CANDIDATES = ['../../../package.json', '../../package.json'];

export function readAppVersion(): string {
  for (const candidate of PACKAGE_JSON_CANDIDATES) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'stemhook' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this candidate: try the next
    }
  }
  return '0.0.0';
}

export function createExportHandlers(deps: ExportHandlerDeps): Pick<ApiHandlers, ExportMethods> {
  const { store, events } = deps;
  const finder = createSourceFinder(store);
  const appVersion = deps.appVersion ?? readAppVersion();
  const fallbackDir = deps.defaultDir ?? defaultExportDir();
  const cacheDir = join(deps.dataDir, 'drag-cache');
  const drag = createDragCache({ store, finder, cacheDir });
  const journal = createStagingJournal(store.settings);
  // Exports killed mid-way (a crash, SIGKILL) left hidden staging folders: remove them now.
  void journal.sweep().catch(() => undefined);

  const timers = new Map<string, NodeJS.Timeout>();
  let warming: Promise<unknown> = Promise.resolve();
  const isTaskSettled = (taskId: string): boolean => {
    const task = store.tasks.get(taskId);
    const rows = store.tracks.rowsOf(taskId);
    return (
      task?.state === 'complete' &&
      rows.length > 0 &&
      rows.every((r) => r.state === 'ready' || r.state === 'error')
    );
  };
  const warm = (taskId: string) => {
    timers.delete(taskId);
    warming = warming
      .then(async () => {
        if (
          !store.isOpen() ||
          store.settings.get('pref.export.dragPrerender') === 'false' ||
          !isTaskSettled(taskId)
        )
          return;
        // Non-recursive: if the data folder is gone (the core closed), nothing is recreated.
        await mkdir(cacheDir).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        await drag.warmTask(taskId);
      })
      .catch(() => undefined);
  };
  if (deps.isPrerenderEnabled !== false) {
    events.on('downloads.changed', ({ trackIds }) => {
      if (!store.isOpen()) return;
      for (const trackId of trackIds) {
        const task = store.tasks.get(store.tracks.get(trackId)?.task_id ?? '');
        // A finished WAV conversion changes what its take's drag file is made from.
        const taskId = task?.kind === 'wav' ? task.parent_task_id : task?.id;
        if (!taskId) continue;
        clearTimeout(timers.get(taskId));
        const timer = setTimeout(() => warm(taskId), PRERENDER_DELAY_MS);
        timer.unref();
        timers.set(taskId, timer);
      }
    });
  }

  const planFor = async (input: ExportOptions) => {
    const residual = input.includeResidual && deps.residual ? await deps.residual(input.taskId) : null;
    return planExport(store, finder, input, fallbackDir, residual);
  };

  return {
    'export.plan': async (input) => {
      const plan = await planFor(input);
      await checkExportFolder(plan.folder);
      return toPlanView(plan);
    },
    'export.run': async (input) => {
      const plan = await planFor(input);
      const result = await runExport(plan, {
        appVersion,
        onProgress: (event) => events.emit('export.progress', event),
        onStaging: journal.remember,
      });
      rememberOptions(store.settings, plan.options, plan.isFolderChosen ? dirname(plan.folder) : null);
      events.emit('settings.changed', {});
      return result;
    },
    'export.prepareDrag': async (input) => {
      await mkdir(cacheDir, { recursive: true });
      return { files: await drag.prepare(input.trackIds) };
    },
  };
}
