// Starts the real core in live mode against a KIE simulator the test controls (knobs, failures),
// with the receiver published as the "public URL" so the simulator's callbacks reach it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostConfig, type HostConfig } from '../../electron/core/host/config.ts';
import { createCore, type Core, type CoreOptions } from '../../electron/core/host/core.ts';
import {
  createKieSimulator,
  type KieSimulator,
  type SimulatorOptions,
} from '../../electron/core/simulator/index.ts';
import type { TaskView } from '../../shared/domain.ts';
import { writeToneMp3 } from './tone-mp3.ts';

export const SIM_HMAC_KEY = 'sim-webhook-key-123';

export interface LiveCore {
  core: Core;
  sim: KieSimulator;
  dataDir: string;
  waitFor(taskId: string, isDone: (task: TaskView) => boolean, timeoutMs?: number): Promise<TaskView>;
  /** Submits an add-instrumental task from a fresh 1 s tone (vox.mp3 in the data dir). */
  submitTake(title: string): Promise<TaskView>;
  close(): Promise<void>;
}

export const isSettled = (task: TaskView): boolean =>
  (task.state === 'complete' || task.state === 'failed') &&
  task.tracks.every((t) => t.state === 'ready' || t.state === 'error');

/** A host config whose KIE is a closed loopback port: nothing reaches the network, downloads fail. */
export function closedKieConfig(
  dataDir: string,
  hmacKey: string,
  extra: Partial<HostConfig> = {},
): HostConfig {
  return {
    ...readHostConfig({}),
    dataDir,
    apiKey: 'closed-kie-api-key',
    baseUrl: 'http://127.0.0.1:9',
    uploadBaseUrl: 'http://127.0.0.1:9',
    hmacKey,
    ...extra,
  };
}

/** A host config whose KIE is `simulator` (its key, API and upload URLs), with loopback downloads allowed. */
export function simulatorKieConfig(
  dataDir: string,
  simulator: KieSimulator,
  hmacKey: string | null,
): HostConfig {
  return {
    ...readHostConfig({}),
    dataDir,
    apiKey: simulator.control.options().apiKey,
    baseUrl: simulator.apiUrl,
    uploadBaseUrl: simulator.uploadUrl,
    hmacKey,
    allowLoopbackDownloads: true,
  };
}

/** Makes the receiver's loopback address the "public URL", so the simulator's callbacks reach it. */
export function publishReceiver(core: Core): void {
  core.setPublicUrl(core.receiver.callbackUrl.replace(core.receiver.path, ''), {
    state: 'online',
    reason: null,
  });
}

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
    ...simulatorKieConfig(dataDir, simulator, core.hmacKey === undefined ? SIM_HMAC_KEY : core.hmacKey),
    ...(core.apiKey === undefined ? {} : { apiKey: core.apiKey }),
  };
  const instance = await createCore({
    config,
    log: () => undefined,
    schedule: { withCallbacks: { firstMs: 400, maxMs: 800 }, pollingOnly: { firstMs: 100, maxMs: 300 } },
    downloadBackoffMs: 30,
    kie: core.kie,
  });
  if (core.callbacks !== false) publishReceiver(instance);
  return {
    core: instance,
    sim: simulator,
    dataDir,
    async submitTake(title) {
      const path = await writeToneMp3(join(dataDir, 'vox.mp3'), { seconds: 1 });
      return instance.handlers['tasks.submit']({
        kind: 'add-instrumental',
        source: { path },
        title,
        tags: 'folk',
        negativeTags: 'edm',
      });
    },
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
