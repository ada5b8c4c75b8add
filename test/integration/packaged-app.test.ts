// The packaged desktop app, built on every `npm test`: electron-builder packs out/ (`--linux dir`,
// offline, against a stand-in Electron since none can run here), and the test reads what a producer
// would install: the fuses, the archive's modules, native addons, the decode worker, the payload size.
// Then it runs the BUILT main bundle and preload from the extracted archive under Node (a loader hook
// supplies a fake 'electron', the one part mocked) and carries a demo task from submit to drag-out.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.ts';
import {
  extractApp,
  importSpecifiers,
  listArchiveFiles,
  packageOf,
  packagedModules,
  packLinuxDir,
  sizeOnDisk,
  type ArchiveEntry,
  REPORT_PREFIX,
  type DriveReport,
  type PackedApp,
} from '../helpers/packaged-app.ts';
import { ELECTRON_FUSE_DEFAULTS, readFuseWire } from '../helpers/stand-in-electron.ts';

/** `resources/` on Linux (archive + unpacked native addons); 52 MB before it was trimmed, 15.7 MB after. */
const PAYLOAD_BUDGET_BYTES = 16_000_000;

const projectDir = join(import.meta.dirname, '..', '..');
const workDir = mkdtempSync(join(tmpdir(), 'stemhook-packaged-'));
const startedAt = performance.now();
let packed: PackedApp;
let files: ArchiveEntry[];

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
const archived = (path: string): string => {
  const entry = files.find((file) => file.path === path);
  if (!entry) throw new Error(`${path} is not in app.asar`);
  return readFileSync(
    entry.isUnpacked ? join(packed.unpackedDir, path) : join(workDir, 'extracted', path),
    'utf8',
  );
};

beforeAll(async () => {
  packed = await packLinuxDir(projectDir, workDir);
  files = listArchiveFiles(packed.asarPath);
  extractApp(packed, join(workDir, 'extracted'));
  console.log(
    `packaged-app: electron-builder --linux dir took ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}, 180_000);

afterAll(() => {
  console.log(`packaged-app: whole test took ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  rmSync(workDir, { recursive: true, force: true });
});

describe('the packed Linux app directory', () => {
  it('has the fuses electron-builder.yml asks for flipped in the executable', () => {
    const config = readFileSync(join(projectDir, 'electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?:[ \t]+.*\n)+)/m.exec(config)?.[1] ?? '';
    const wanted = Object.fromEntries(
      [...block.matchAll(/^\s+(\w+):\s*(true|false)/gm)].map(([, name, value]) => [name, value === 'true']),
    );
    expect(Object.keys(wanted).sort()).toEqual(ELECTRON_FUSE_DEFAULTS.map(([name]) => name).sort());
    expect(readFuseWire(packed.executable)).toEqual(wanted);
  });

  it('packages every module a bundle imports, and no dev-only package', () => {
    const lock = JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const isDevOnly = (name: string): boolean => {
      const entries = Object.entries(lock.packages).filter(([key]) => key.endsWith(`node_modules/${name}`));
      return entries.length > 0 && entries.every(([, entry]) => entry.dev === true);
    };
    const modules = packagedModules(files);
    const bundles = files.filter((file) => /^out\/.*\.(m|c)?js$/.test(file.path));
    const imported = new Set(
      bundles
        .flatMap((file) => importSpecifiers(archived(file.path)).map(packageOf))
        .filter((name) => name !== null),
    );
    imported.delete('electron');
    expect([...imported].filter((name) => !modules.has(name))).toEqual([]);
    expect([...modules].filter(isDevOnly)).toEqual([]);
    console.log(`packaged-app: modules ${[...modules].sort().join(', ')}`);
  });

  it('keeps every native addon out of the archive, in app.asar.unpacked', () => {
    const addons = files.filter((file) => file.path.endsWith('.node'));
    expect(addons.map((file) => file.path)).toContain('node_modules/better-sqlite3/prebuilds/linux-x64.node');
    expect(
      addons.filter((file) => !file.isUnpacked || !existsSync(join(packed.unpackedDir, file.path))),
    ).toEqual([]);
  });

  it('ships the decode worker as one file: no bare import, no shared chunk', () => {
    const specifiers = importSpecifiers(archived('out/main/decode-worker.js'));
    expect(specifiers.length).toBeGreaterThan(0);
    expect(
      specifiers.filter((specifier) => packageOf(specifier) !== null || specifier.startsWith('.')),
    ).toEqual([]);
  });

  it(`stays within the payload budget (${megabytes(PAYLOAD_BUDGET_BYTES)} for resources/)`, () => {
    const total = sizeOnDisk(packed.resourcesDir);
    const unpacked = sizeOnDisk(packed.unpackedDir);
    console.log(
      `packaged-app: resources/ ${megabytes(total)} of ${megabytes(PAYLOAD_BUDGET_BYTES)} budget ` +
        `(app.asar ${megabytes(total - unpacked)}, app.asar.unpacked ${megabytes(unpacked)})`,
    );
    expect(total).toBeLessThanOrEqual(PAYLOAD_BUDGET_BYTES);
  });
});

describe('the built main bundle, run from the package', () => {
  it('carries a demo task from submit to drag-out through the preload, then quits with exit code 0', async () => {
    const dataDir = join(workDir, 'data');
    const appDir = join(workDir, 'extracted');
    const child = spawn(
      process.execPath,
      [
        '--import',
        join(projectDir, 'test', 'helpers', 'electron-loader.ts'),
        join(projectDir, 'test', 'helpers', 'packaged-app-driver.ts'),
        appDir,
      ],
      {
        cwd: workDir,
        env: cleanEnv({
          STEMHOOK_TEST_APP_PATH: appDir,
          STEMHOOK_DATA_DIR: dataDir,
          STEMHOOK_DEMO_AUDIO_SECONDS: '2',
          STEMHOOK_DEMO_STAGE_MS: '60',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const reportLine = stdout.split('\n').find((line) => line.startsWith(REPORT_PREFIX));
    if (exitCode !== 0 || !reportLine) throw new Error(`the app exited ${exitCode}:\n${stdout}\n${stderr}`);
    const report = JSON.parse(reportLine.slice(REPORT_PREFIX.length)) as DriveReport;

    expect(report).toMatchObject({
      mode: 'demo',
      pageStatus: 200,
      task: { state: 'complete', trackCount: 2 },
      peaks: { channels: 2 },
      range: { status: 206, contentRange: expect.stringMatching(/^bytes 0-99\//), bytes: 100 },
      batch: {
        status: 200,
        parts: [
          { status: 206, length: 100 },
          { status: 206, length: 200 },
        ],
      },
      notes: [{ title: expect.stringMatching(/^Ready:/), body: '2 tracks ready.' }],
    });
    expect(report.callbackVerdicts).toContain('valid');
    expect(report.eventNames).toContain('tasks.changed');
    expect(report.shellEvents).toEqual([{ type: 'open-task', taskId: report.task.id }]);
    // The drag reached Electron with the prepared WAV, which main checked is in the drag cache.
    const dragFiles = report.dragFiles;
    expect(dragFiles).toHaveLength(1);
    expect(dragFiles[0]).toMatch(/\.wav$/);
    expect(report.drags).toEqual([expect.objectContaining({ file: dragFiles[0], files: dragFiles })]);
    // Native code came from app.asar.unpacked, as Electron's asar redirect loads it.
    expect(report.addons).toEqual([
      join(packed.unpackedDir, 'node_modules/better-sqlite3/prebuilds/linux-x64.node'),
    ]);
    // The decode ran in the bundled worker, not the main-process fallback.
    expect(stdout).not.toMatch(/decode workers cannot start/);
    // Quit cleaned up: host.json is gone.
    expect(existsSync(join(dataDir, 'host.json'))).toBe(false);
  }, 120_000);
});
