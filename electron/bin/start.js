#!/usr/bin/env node
// `npm start`: launches the desktop app. Where Electron cannot run (its binary could not be
// downloaded, there is no display, its sandbox cannot start, or it dies by a signal right at
// launch) it says why in one line and starts browser mode instead.
// STEMHOOK_BROWSER=1 (or --browser) asks for browser mode directly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxProblem } from './sandbox-check.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const wantsBrowser = process.env.STEMHOOK_BROWSER === '1' || args.includes('--browser');

// A launch that dies by a signal this soon is Electron failing to start (sandbox, GPU, libraries),
// not the producer quitting.
const EARLY_EXIT_MS = 8_000;

function readText(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Where electron's own index.js would look, without its side effect of downloading on demand. */
function installedBinary(packageDir) {
  const relative = readText(join(packageDir, 'path.txt'));
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && !relative) return null;
  const binary = override ? join(override, relative || 'electron') : join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/** Returns { binary } or { reason } in words for the one line we print. */
function findElectron() {
  let packageDir;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (run npm install)' };
  }
  let binary = installedBinary(packageDir);
  if (!binary && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1') {
    console.log('Downloading Electron (first run only)…');
    // Electron's installer fetches the binary from GitHub; bounded so `npm start` never hangs.
    spawnSync(process.execPath, [join(packageDir, 'install.js')], {
      stdio: ['ignore', 'ignore', 'ignore'],
      timeout: 180_000,
    });
    binary = installedBinary(packageDir);
  }
  if (!binary && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1')
    return { reason: 'its binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD=1 forbids the download' };
  if (!binary) return { reason: 'its binary could not be downloaded (no access to GitHub?)' };
  const probe = spawnSync(binary, ['-e', 'process.stdout.write(process.versions.electron)'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.status !== 0)
    return {
      reason: `its binary does not run here (${(probe.stderr || probe.error?.message || 'no output').split('\n')[0]})`,
    };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { reason: 'there is no display (DISPLAY is not set)' };
  const sandbox = sandboxProblem({
    binary,
    platform: process.platform,
    uid: process.getuid?.() ?? null,
    readText,
    stat: (path) => statSync(path),
  });
  if (sandbox) return { reason: sandbox };
  return { binary };
}

function ensureBuilt() {
  const outputs = ['out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'];
  if (outputs.every((file) => existsSync(join(root, file)))) return;
  console.log('Building the app first (npm run build)…');
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { cwd: root, stdio: 'inherit' },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

function startBrowserMode(reason) {
  console.log(`Electron is not available: ${reason}; starting browser mode instead (open the URL below).`);
  const child = spawn(process.execPath, [fileURLToPath(new URL('./stemhook.js', import.meta.url)), 'serve'], {
    stdio: 'inherit',
  });
  forwardSignals(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** Runs the desktop app; if it dies by a signal at launch, says why and falls back to browser mode. */
function startElectron(binary, electronArgs, env) {
  const startedAt = Date.now();
  let isStopping = false;
  let firstError = '';
  const child = spawn(binary, electronArgs, { stdio: ['inherit', 'inherit', 'pipe'], env });
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    firstError ||=
      String(chunk)
        .split('\n')
        .find((line) => line.trim()) ?? '';
  });
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      isStopping = true;
      child.kill(signal);
    });
  child.on('error', (error) => startBrowserMode(`its binary could not be started (${error.message})`));
  child.on('exit', (code, signal) => {
    if (signal && !isStopping && Date.now() - startedAt < EARLY_EXIT_MS) {
      const detail = firstError ? `: ${firstError.trim().slice(0, 200)}` : '';
      startBrowserMode(`it was killed by ${signal} while starting${detail}`);
      return;
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

ensureBuilt();
const electron = wantsBrowser ? { reason: 'browser mode was asked for' } : findElectron();
const passOn = args.filter((arg) => arg !== '--browser');
if (electron.binary) {
  // ELECTRON_RUN_AS_NODE must not leak into the app: it would start as plain Node.
  const { ELECTRON_RUN_AS_NODE: _unused, ...env } = process.env;
  startElectron(electron.binary, [root, ...passOn], env);
} else {
  startBrowserMode(electron.reason);
}
