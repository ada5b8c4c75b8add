// An in-process `stemhook serve` in demo mode on a fresh temp data dir: quiet, short songs, fast
// stages. For tests that need the real host (local API, receiver port, audio routes) but no CLI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostConfig } from '../../electron/core/host/config.ts';
import { startServe } from '../../electron/core/host/serve.ts';

export type ServeHost = Awaited<ReturnType<typeof startServe>>;

export interface DemoServe {
  host: ServeHost;
  dataDir: string;
  close(): Promise<void>;
}

export async function startDemoServe(prefix: string, env: Record<string, string> = {}): Promise<DemoServe> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const config = readHostConfig({
    STEMHOOK_DATA_DIR: dataDir,
    STEMHOOK_DEMO_AUDIO_SECONDS: '2',
    STEMHOOK_DEMO_STAGE_MS: '50',
    ...env,
  });
  const host = await startServe(config, { log: () => undefined });
  return {
    host,
    dataDir,
    async close() {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
