// Assembles one simulator: shared state, the API and upload listeners, and the control surface for tests.
import { createApiHandler } from './api-router.ts';
import { createAudioLibrary } from './audio-library.ts';
import { createCallbackDispatcher } from './callbacks.ts';
import type { SimContext } from './context.ts';
import { createFaults } from './faults.ts';
import { createFileStore } from './file-store.ts';
import { createGuards } from './guards.ts';
import { createIdSource } from './ids.ts';
import { createLifecycle } from './lifecycle.ts';
import { DEFAULT_OPTIONS, mergeOptions } from './options.ts';
import { createUploadHandler } from './routes-upload.ts';
import { startListener } from './server.ts';
import { songFacts } from './synth-plan.ts';
import { createTaskStore, summarize } from './task-store.ts';
import type { KieSimulator, SimulatorControl, SimulatorOptions } from './types.ts';

function createControl(
  ctx: SimContext,
  setOptions: (patch: Partial<SimulatorOptions>) => void,
): SimulatorControl {
  return {
    setOptions,
    options: () => structuredClone(ctx.options()),
    failNextTask: (f) => ctx.faults.failNextTask(f),
    failNextRequest: (f) => ctx.faults.failNextRequest(f),
    setCredits: (n) => ctx.guards.setCredits(n),
    credits: () => ctx.guards.credits(),
    tasks: () => ctx.tasks.all().map(summarize),
    songOf: (audioId) => {
      for (const task of ctx.tasks.all()) {
        if (task.family !== 'music') continue;
        const track = task.tracks.find((t) => t.id === audioId);
        if (track) return songFacts(track.seed, task.durationSec);
      }
      return null;
    },
    callbackLog: () => ctx.callbacks.log(),
    expireAllFiles: () => {
      ctx.apiFiles.expireAll();
      ctx.uploadFiles.expireAll();
    },
    uploadCount: () => ctx.uploadFiles.count(),
    idle: () => ctx.lifecycle.idle(),
  };
}

export async function createKieSimulator(overrides: Partial<SimulatorOptions> = {}): Promise<KieSimulator> {
  let options = mergeOptions(DEFAULT_OPTIONS, overrides);
  const current = (): SimulatorOptions => options;
  const lifecycle = createLifecycle();
  const ctx: SimContext = {
    options: current,
    urls: { api: '', upload: '' },
    lifecycle,
    ids: createIdSource(options.seed),
    tasks: createTaskStore(),
    apiFiles: createFileStore(),
    uploadFiles: createFileStore(),
    audio: createAudioLibrary(lifecycle.signal),
    guards: createGuards(current),
    faults: createFaults(),
    callbacks: createCallbackDispatcher(current, lifecycle),
  };
  const api = await startListener(options.host, options.apiPort, createApiHandler(ctx));
  const upload = await startListener(options.host, options.uploadPort, createUploadHandler(ctx)).catch(
    async (err: unknown) => {
      await api.close();
      throw err;
    },
  );
  ctx.urls.api = api.url;
  ctx.urls.upload = upload.url;
  // Listener addresses are fixed once bound; the other options apply from the next event on.
  const setOptions = (patch: Partial<SimulatorOptions>): void => {
    const { host: _host, apiPort: _apiPort, uploadPort: _uploadPort, ...live } = patch;
    options = mergeOptions(options, live);
  };
  let closing: Promise<void> | null = null;
  return {
    apiUrl: api.url,
    uploadUrl: upload.url,
    control: createControl(ctx, setOptions),
    close: () => {
      closing ??= lifecycle
        .close()
        .then(() => Promise.all([api.close(), upload.close()]).then(() => undefined));
      return closing;
    },
  };
}
