// Finds a real Electron binary for the desktop e2e test, fetching it on demand (Electron's own
// install.js, bounded in time) where it is missing and downloads are allowed, so a developer machine
// with network runs the real app while CI (ELECTRON_SKIP_BINARY_DOWNLOAD=1) stays offline.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export type ElectronBinary = { path: string; fetched: boolean } | { reason: string };

/** A download of roughly 100 MB; past this the network is too slow to wait for in a test run. */
const FETCH_TIMEOUT_MS = 180_000;

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function installedPath(packageDir: string): string | null {
  try {
    const path = join(packageDir, 'dist', readFileSync(join(packageDir, 'path.txt'), 'utf8').trim());
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Runs node_modules/electron/install.js; null when it installed the binary, else why not. */
function fetchElectron(packageDir: string, env: NodeJS.ProcessEnv): string | null {
  const install = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
    env: { ...env, ELECTRON_OVERRIDE_DIST_PATH: '' },
    timeout: FETCH_TIMEOUT_MS,
    encoding: 'utf8',
  });
  if (install.error) {
    const timedOut = (install.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    return timedOut ? `downloading it took over ${FETCH_TIMEOUT_MS / 1000} s` : install.error.message;
  }
  if (install.status !== 0) {
    const lines = `${install.stderr}`.split('\n').filter((line) => line.trim() !== '');
    const message = lines.find((line) => /error/i.test(line)) ?? lines[0] ?? `exit ${install.status}`;
    return `downloading it failed: ${message.trim()}`;
  }
  return null;
}

/** Where Electron is (fetched now if it may be), or the one-sentence reason the e2e test skips. */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const packageDir = join(root, 'node_modules', 'electron');
  let path = installedPath(packageDir);
  let fetched = false;
  if (!path) {
    if (isSet(env.ELECTRON_SKIP_BINARY_DOWNLOAD))
      return {
        reason: 'the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set (as in CI)',
      };
    const failure = fetchElectron(packageDir, env);
    path = installedPath(packageDir);
    if (!path)
      return { reason: `the Electron binary is not installed and ${failure ?? 'install.js left none'}` };
    fetched = true;
  }
  const probe = spawnSync(path, ['-e', 'process.stdout.write(process.versions.electron)'], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: 30_000,
  });
  if (probe.status !== 0)
    return {
      reason: `the Electron binary does not run here: ${String(probe.stderr ?? probe.error).split('\n')[0]}`,
    };
  return { path, fetched };
}
