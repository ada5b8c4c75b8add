// Packs the built app (out/) with electron-builder `--linux dir` against a stand-in Electron, offline,
// and reads the result: the archive's file list, its bare imports, sizes on disk, and an extracted
// copy whose unpacked files are links into app.asar.unpacked (what Electron's asar redirect loads).
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { writeStandInElectronDist } from './stand-in-electron.ts';

export interface PackedApp {
  /** linux-unpacked/: the executable and resources/. */
  appOutDir: string;
  executable: string;
  resourcesDir: string;
  asarPath: string;
  unpackedDir: string;
}

/** How packaged-app-driver.ts marks the one stdout line that carries its report. */
export const REPORT_PREFIX = 'REPORT ';

/** What packaged-app-driver.ts saw while it drove the packaged app. */
export interface DriveReport {
  mode: string;
  pageStatus: number | undefined;
  task: { id: string; state: string; stages: string[]; trackCount: number };
  callbackVerdicts: string[];
  peaks: { channels: number; length: number; sampleCount: number };
  range: { status: number | undefined; contentRange: string | null | undefined; bytes: number | undefined };
  /** The streaming engine's batch route through the desktop scheme: two lanes' ranges in one answer. */
  batch: { status: number | undefined; parts: Array<{ status: number; length: number }> };
  dragFiles: string[];
  drags: unknown[];
  notes: Array<{ title: string; body: string }>;
  shellEvents: unknown[];
  eventNames: string[];
  /** Paths of the native addons the process mapped. */
  addons: string[];
}

const run = promisify(execFile);

/** Any attempt to download (an Electron zip, a toolset) fails fast instead of reaching the network. */
const NO_NETWORK = 'http://127.0.0.1:9';

/**
 * Stages what electron-builder.yml `files` takes (package.json, out/, electron/resources) in
 * `workDir/app` and packs it. The stage links node_modules and has no lockfile, so electron-builder
 * walks node_modules the way Node resolves (its `traversal` collector): `npm ls`, its default here,
 * misreads a node_modules that is a symlink, as in a git worktree sharing one.
 */
export async function packLinuxDir(projectDir: string, workDir: string): Promise<PackedApp> {
  if (!existsSync(join(projectDir, 'out', 'main', 'main.js')))
    throw new Error('The app is not built: run `npm run build` (npm test does) before this test');
  const app = join(workDir, 'app');
  mkdirSync(join(app, 'electron'), { recursive: true });
  for (const file of ['package.json', 'electron-builder.yml'])
    cpSync(join(projectDir, file), join(app, file));
  cpSync(join(projectDir, 'out'), join(app, 'out'), { recursive: true });
  cpSync(join(projectDir, 'electron', 'resources'), join(app, 'electron', 'resources'), { recursive: true });
  symlinkSync(realpathSync(join(projectDir, 'node_modules')), join(app, 'node_modules'));
  const electronVersion = (
    JSON.parse(readFileSync(join(projectDir, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const dist = writeStandInElectronDist(join(workDir, 'electron-dist'), electronVersion);
  const output = join(workDir, 'release');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_user_agent: 'traversal',
    ELECTRON_BUILDER_CACHE: join(workDir, 'cache'),
    ELECTRON_CACHE: join(workDir, 'cache'),
    HTTP_PROXY: NO_NETWORK,
    HTTPS_PROXY: NO_NETWORK,
    http_proxy: NO_NETWORK,
    https_proxy: NO_NETWORK,
    ELECTRON_GET_USE_PROXY: '1',
    GLOBAL_AGENT_HTTPS_PROXY: NO_NETWORK,
    NO_PROXY: '',
    no_proxy: '',
  };
  delete env.npm_execpath;
  await run(
    process.execPath,
    [
      join(projectDir, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${dist}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: app, env, maxBuffer: 16 * 1024 * 1024 },
  );
  const appOutDir = join(output, 'linux-unpacked');
  const resourcesDir = join(appOutDir, 'resources');
  const executableName = /^\s+executableName:\s*(\S+)/m.exec(
    readFileSync(join(app, 'electron-builder.yml'), 'utf8'),
  );
  return {
    appOutDir,
    executable: join(appOutDir, executableName?.[1] ?? 'electron'),
    resourcesDir,
    asarPath: join(resourcesDir, 'app.asar'),
    unpackedDir: join(resourcesDir, 'app.asar.unpacked'),
  };
}

export interface ArchiveEntry {
  /** Relative to the archive root, '/'-separated, no leading slash. */
  path: string;
  size: number;
  isUnpacked: boolean;
}

/** Every file (not directory) in the archive. */
export function listArchiveFiles(asarPath: string): ArchiveEntry[] {
  return listPackage(asarPath, { isPack: false }).flatMap((listed) => {
    const path = listed.replace(/^[/\\]/, '').replaceAll('\\', '/');
    const stat = statFile(asarPath, path, false) as { size?: number; unpacked?: boolean; files?: unknown };
    if (stat.files || stat.size === undefined) return [];
    return [{ path, size: stat.size, isUnpacked: stat.unpacked === true }];
  });
}

/** Writes the archive's packed files into `dest`; each unpacked file becomes a link to its real copy. */
export function extractApp(packed: PackedApp, dest: string): string {
  for (const entry of listArchiveFiles(packed.asarPath)) {
    const target = join(dest, entry.path);
    mkdirSync(dirname(target), { recursive: true });
    if (entry.isUnpacked) symlinkSync(join(packed.unpackedDir, entry.path), target);
    else writeFileSync(target, extractFile(packed.asarPath, entry.path));
  }
  return dest;
}

// Quoted (an import statement's specifier cannot be a template) and free of whitespace, which keeps
// prose such as `"from" in input` out.
const IMPORT_SPECIFIER = /\b(?:from\s*|import\s*\(\s*|import\s+|require\s*\(\s*)(["'])([^"'\s]+)\1/g;

/** Every module specifier a bundle imports or requires with a literal string. */
export function importSpecifiers(code: string): string[] {
  return [...new Set([...code.matchAll(IMPORT_SPECIFIER)].map((match) => match[2] ?? ''))];
}

/** The package a bare specifier names ('@scope/name/x' -> '@scope/name'), or null for builtins and paths. */
export function packageOf(specifier: string): string | null {
  if (/^[./]/.test(specifier) || isBuiltin(specifier)) return null;
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Names of the packages in an archive listing, nested node_modules included. */
export function packagedModules(files: ArchiveEntry[]): Set<string> {
  const names = new Set<string>();
  for (const { path } of files) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(path);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

/** Bytes of regular files under `dir` (links not followed). */
export function sizeOnDisk(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sum + sizeOnDisk(path);
    return entry.isFile() ? sum + lstatSync(path).size : sum;
  }, 0);
}
