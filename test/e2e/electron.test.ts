// The desktop app end to end with Playwright's Electron driver: launch, the contract on window.api,
// a dropped file becoming a task, the CLI reaching the running app, navigation and window.open
// blocked, graceful quit. A missing Electron binary is fetched first where downloads are allowed
// (not with ELECTRON_SKIP_BINARY_DOWNLOAD, as in CI); it skips, saying why, where none can run.
// `npm start`'s fallback to browser mode is tested everywhere.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { API_METHODS } from '../../shared/api.ts';
import type { TaskView } from '../../shared/domain.ts';
// For its global declaration: the type of window.api inside page.evaluate.
import type {} from '../../renderer/src/api/window-api.ts';
import { cleanEnv, ROOT, runCli } from '../helpers/cli.ts';
import { findElectronBinary } from '../helpers/electron-binary.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { lockDataDir } from '../../electron/core/host/data-dir-lock.ts';

/** Real Electron (fetched now where allowed and possible) and a built app, or why the suite skips. */
function electronBinary(): { path: string } | { reason: string } {
  const found = findElectronBinary(ROOT);
  if ('reason' in found) return found;
  if (found.fetched) console.log(`electron e2e: fetched the Electron binary (${found.path})`);
  if (!existsSync(join(ROOT, 'out/main/main.js')) || !existsSync(join(ROOT, 'out/preload/preload.cjs')))
    return { reason: 'the app is not built (npm run build)' };
  return found;
}

const found = electronBinary();
if ('reason' in found) console.log(`electron e2e skipped: ${found.reason}`);

describe.skipIf(!('path' in found))('desktop app (Electron)', () => {
  let dataDir = '';
  let env: NodeJS.ProcessEnv = {};
  let xvfb: ChildProcess | null = null;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stemhook-electron-'));
    env = cleanEnv({
      STEMHOOK_DATA_DIR: dataDir,
      STEMHOOK_DEMO_AUDIO_SECONDS: '3',
      STEMHOOK_DEMO_STAGE_MS: '150',
    });
    if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
      const display = `:${100 + Math.floor(Math.random() * 400)}`;
      xvfb = spawn('Xvfb', [display, '-nolisten', 'tcp', '-screen', '0', '1400x900x24'], { stdio: 'ignore' });
      // Without a handler a missing Xvfb would crash the test worker instead of failing this suite.
      const started = new Promise<void>((resolve, reject) => {
        xvfb?.once('error', (error) => reject(new Error(`Xvfb could not start: ${error.message}`)));
        setTimeout(resolve, 500);
      });
      env.DISPLAY = display;
      await started;
    }
    app = await _electron.launch({
      executablePath: 'path' in found ? found.path : '',
      args: [ROOT],
      env: env as Record<string, string>,
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    xvfb?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the app from its own scheme, isolated, with exactly the contract on window.api', async () => {
    expect(page.url()).toMatch(/^stemhook:\/\/app\//);
    const shape = await page.evaluate(() => ({
      methods: Object.keys(window.api?.call ?? {}).sort(),
      hasRequire: typeof (window as unknown as { require?: unknown }).require !== 'undefined',
      hasProcess: typeof (window as unknown as { process?: unknown }).process !== 'undefined',
    }));
    expect(shape).toEqual({ methods: [...API_METHODS].sort(), hasRequire: false, hasProcess: false });
  });

  it('turns a dropped file into a task, visible through the contract and to the CLI', async () => {
    const source = await writeToneMp3(join(dataDir, 'drop me.mp3'), { seconds: 2 });
    const submitted = await page.evaluate(
      async (path) => window.api?.call['tasks.submit']({ kind: 'separate_vocal', source: { path } }),
      source,
    );
    expect(submitted?.ok).toBe(true);
    const id = submitted?.ok ? submitted.value.id : '';
    let task: TaskView | null = null;
    for (let i = 0; i < 300 && task?.state !== 'complete'; i++) {
      const listed = await page.evaluate(async () => window.api?.call['tasks.list']({}));
      task = listed?.ok ? (listed.value.find((t) => t.id === id) ?? null) : null;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(task?.state).toBe('complete');
    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
  });

  it('blocks navigation away from the app and denies window.open', async () => {
    const before = page.url();
    await page.evaluate(() => {
      location.href = 'http://example.invalid/';
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(page.url()).toBe(before);
    const opened = await page.evaluate(() => window.open('http://example.invalid/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  it('quits gracefully: host.json and the lock are gone', async () => {
    expect(existsSync(join(dataDir, 'host.json'))).toBe(true);
    await app.close();
    expect(existsSync(join(dataDir, 'host.json'))).toBe(false);
    // The OS lock is released: another host can take the folder now.
    lockDataDir(dataDir)();
  });
});

describe('npm start without Electron', () => {
  const isBuilt = ['out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'].every((f) =>
    existsSync(join(ROOT, f)),
  );
  if (!isBuilt) console.log('npm start fallback test skipped: the app is not built (npm run build)');

  /** Runs `npm start`'s launcher until browser mode prints its URL; returns its output lines. */
  async function startUntilBrowserMode(
    extraEnv: Record<string, string>,
    options: { uid?: number; gid?: number; dataDir: string },
  ): Promise<string[]> {
    const env = cleanEnv({ STEMHOOK_DATA_DIR: options.dataDir, ...extraEnv });
    const child = spawn(process.execPath, [join(ROOT, 'electron/bin/start.js')], {
      env,
      cwd: ROOT,
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      for (let i = 0; i < 600 && !/Open http:\/\/127\.0\.0\.1:\d+\/#token=/.test(output); i++)
        await new Promise((r) => setTimeout(r, 50));
      const url = /Open (http:\/\/127\.0\.0\.1:\d+\/)#token=/.exec(output)?.[1] ?? '';
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      return output.split('\n').filter((line) => line.includes('Electron is not available'));
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
  }

  /** A stand-in Electron whose version probe passes but whose launch dies like a broken sandbox. */
  function writeDyingElectron(dir: string): string {
    const distDir = join(dir, 'fake-electron');
    mkdirSync(distDir, { recursive: true });
    writeFileSync(
      join(distDir, 'electron'),
      [
        '#!/bin/sh',
        'if [ "$ELECTRON_RUN_AS_NODE" = "1" ]; then printf 45.4.1; exit 0; fi',
        'echo "FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly." >&2',
        'kill -TRAP $$',
      ].join('\n'),
      { mode: 0o755 },
    );
    return distDir;
  }

  let dataDir = '';
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'stemhook-start-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it.skipIf(!isBuilt)('says so in one line and starts browser mode, printing the URL', async () => {
    const lines = await startUntilBrowserMode(
      { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_OVERRIDE_DIST_PATH: join(dataDir, 'no-electron-here') },
      { dataDir },
    );
    expect(lines).toEqual([
      'Electron is not available: its binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD=1 forbids the download; starting browser mode instead (open the URL below).',
    ]);
  });

  const isRoot = process.getuid?.() === 0;
  it.skipIf(!isBuilt || process.platform !== 'linux' || !isRoot)(
    'as root (where the Chromium sandbox refuses to start): says so and falls back, before launching',
    async () => {
      const distDir = writeDyingElectron(dataDir);
      const lines = await startUntilBrowserMode(
        { ELECTRON_OVERRIDE_DIST_PATH: distDir, DISPLAY: ':99' },
        { dataDir },
      );
      expect(lines).toEqual([
        'Electron is not available: Chromium will not run as root with its sandbox on; run `npm start` as your normal user; starting browser mode instead (open the URL below).',
      ]);
    },
  );

  // The launch itself dies by a signal (the sandbox failure on Ubuntu 23.10+): only a non-root
  // user reaches the launch, so as root this runs the launcher as `nobody`.
  it.skipIf(!isBuilt || process.platform !== 'linux')(
    'Electron killed by a signal at launch: says why in one line and falls back to browser mode',
    async () => {
      const distDir = writeDyingElectron(dataDir);
      if (isRoot) chownSync(dataDir, 65534, 65534);
      if (isRoot)
        for (const entry of ['fake-electron', 'fake-electron/electron'])
          chownSync(join(dataDir, entry), 65534, 65534);
      const lines = await startUntilBrowserMode(
        { ELECTRON_OVERRIDE_DIST_PATH: distDir, DISPLAY: ':99', HOME: dataDir },
        { dataDir, ...(isRoot ? { uid: 65534, gid: 65534 } : {}) },
      );
      expect(lines).toEqual([
        'Electron is not available: it was killed by SIGTRAP while starting: FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly.; starting browser mode instead (open the URL below).',
      ]);
    },
  );
});
