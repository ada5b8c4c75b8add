// Starts the real core in live mode against a KIE simulator the test controls (knobs, failures),
// with the receiver published as the "public URL" so the simulator's callbacks reach it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostConfig } from '../../electron/core/host/config.ts';
import { createCore, type Core, type CoreOptions } from '../../electron/core/host/core.ts';
import {
  createKieSimulator,
  type KieSimulator,
  type SimulatorOptions,
} from '../../electron/core/simulator/index.ts';
import type { TaskView } from '../../shared/domain.ts';

export const SIM_HMAC_KEY = 'sim-webhook-key-123';

export interface LiveCore {
  core: Core;
  sim: KieSimulator;
  dataDir: string;
  waitFor(taskId: string, isDone: (task: TaskView) => boolean, timeoutMs?: number): Promise<TaskView>;
  close(): Promise<void>;
}

export const isSettled = (task: TaskView): boolean =>
  (task.state === 'complete' || task.state === 'failed') &&
  task.tracks.every((t) => t.state === 'ready' || t.state === 'error');

export async function startLiveCore(
  sim: Partial<SimulatorOptions> = {},
  core: {
    hmacKey?: string | null;
    apiKey?: string;
    callbacks?: boolean;
    dataDir?: string;
    kie?: CoreOptions['kie'];
  } = {},
): Promise<LiveCore> {
  const simulator = await createKieSimulator({
    hmacKey: SIM_HMAC_KEY,
    stageDelayMs: 40,
    audioDurationSec: 1.5,
    callbackRetryDelayMs: 20,
    ...sim,
  });
  const dataDir = core.dataDir ?? mkdtempSync(join(tmpdir(), 'stemhook-core-'));
  const config = {
    ...readHostConfig({}),
    dataDir,
    apiKey: core.apiKey ?? simulator.control.options().apiKey,
    baseUrl: simulator.apiUrl,
    uploadBaseUrl: simulator.uploadUrl,
    hmacKey: core.hmacKey === undefined ? SIM_HMAC_KEY : core.hmacKey,
    allowLoopbackDownloads: true,
  };
  const instance = await createCore({
    config,
    log: () => undefined,
    schedule: { withCallbacks: { firstMs: 400, maxMs: 800 }, pollingOnly: { firstMs: 100, maxMs: 300 } },
    downloadBackoffMs: 30,
    kie: core.kie,
  });
  if (core.callbacks !== false) {
    instance.setPublicUrl(instance.receiver.callbackUrl.replace(instance.receiver.path, ''), {
      state: 'online',
      reason: null,
    });
  }
  return {
    core: instance,
    sim: simulator,
    dataDir,
    async waitFor(taskId, isDone, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const task = await instance.handlers['tasks.get']({ id: taskId });
        if (isDone(task)) return task;
        if (Date.now() > deadline)
          throw new Error(`task ${taskId} not done: ${JSON.stringify(task, null, 1)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await instance.close();
      await simulator.close();
      if (!core.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
