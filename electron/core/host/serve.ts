// `stemhook serve`: the core plus browser mode's local API and UI, host.json, and the tunnel when
// configured. Also what the desktop app falls back to when Electron cannot start.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHostTunnel } from '../tunnel/host-tunnel.ts';
import type { Forwarder, Tunnel } from '../tunnel/tunnel.ts';
import type { HostConfig } from './config.ts';
import { createCore, type CoreOptions } from './core.ts';
import { createAudioRoute } from './audio-route.ts';
import { createExportDownloadRoute } from './export-download-route.ts';
import { createExportZipRoute } from './export-zip-route.ts';
import { writeHostFile } from './host-file.ts';
import { startLocalApi } from './local-api.ts';

const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

export function findRendererDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../../../out/renderer'), resolve(here, '../renderer')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

export interface ServeOptions extends Omit<CoreOptions, 'config'> {
  forwarder?: Forwarder;
  apiPort?: number;
  /** The built UI to serve; the desktop app passes null (its window loads the UI itself). */
  rendererDir?: string | null;
}

export async function startServe(config: HostConfig, options: ServeOptions = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const core = await createCore({ ...options, config });
  const token = randomBytes(32).toString('base64url');
  const zips = createExportZipRoute();
  const api = await startLocalApi({
    handlers: { ...core.handlers, 'export.run': zips.remembering(core.handlers['export.run']) },
    events: core.events,
    token,
    rendererDir: options.rendererDir === undefined ? findRendererDir() : options.rendererDir,
    demoMediaOrigin: core.simulator ? new URL(core.simulator.apiUrl).origin : null,
    port: options.apiPort,
    stageFile: (name, req) => core.staged.save(name, req, MAX_UPLOAD_BYTES),
    routes: [
      createAudioRoute({ store: core.store, libraryDir: core.libraryDir }),
      createExportDownloadRoute(core.handlers),
      zips.route,
    ],
  });

  const publish = (publicUrl: string | null) =>
    writeHostFile(config.dataDir, {
      pid: process.pid,
      mode: core.mode,
      apiUrl: api.apiUrl,
      uiUrl: api.uiUrl,
      receiverUrl: core.receiver.callbackUrl.replace(core.receiver.path, ''),
      publicUrl,
      token,
      startedAt: Date.now(),
    });
  let removeHostFile = publish(core.tunnelConfig.publicUrl);
  let isClosing = false;
  const tunnel: Tunnel | null = await startHostTunnel(core, {
    forwarder: options.forwarder,
    log,
    onUrl: (url) => {
      if (isClosing) return;
      try {
        removeHostFile = publish(url ?? core.tunnelConfig.publicUrl);
      } catch (error) {
        // A full disk must not break the tunnel's bookkeeping; the CLI keeps the previous host.json.
        log(`Could not update host.json with the new tunnel URL: ${(error as Error).message}`);
      }
    },
  });

  return {
    core,
    api,
    token,
    /** Null unless an ngrok tunnel was started; the desktop app reconnects it after sleep. */
    tunnel,
    async close(): Promise<void> {
      isClosing = true;
      removeHostFile();
      removeHostFile = () => undefined;
      await tunnel?.close();
      await api.close();
      await core.close();
    },
    /** Synchronous last words when the OS ends the session (see core.closeNow). */
    closeNow(): void {
      isClosing = true;
      removeHostFile();
      removeHostFile = () => undefined;
      core.closeNow();
    },
  };
}
