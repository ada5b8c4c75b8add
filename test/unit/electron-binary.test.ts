// How the desktop e2e test gets real Electron: an installed binary is used, a missing one is fetched
// with Electron's own install.js unless ELECTRON_SKIP_BINARY_DOWNLOAD forbids it, and every skip
// names its reason. Real child processes on a fake node_modules/electron (no network: the fake
// install.js "downloads" by writing the binary, or fails as an offline machine does).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../helpers/electron-binary.ts';

const roots: string[] = [];

/** A project root whose node_modules/electron/install.js runs `installScript` (CommonJS). */
function fakeProject(installScript: string): { root: string; packageDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'stemhook-electron-bin-'));
  roots.push(root);
  const packageDir = join(root, 'node_modules', 'electron');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'install.js'), installScript);
  return { root, packageDir };
}

// Writes what Electron's install.js leaves: dist/<binary> and path.txt naming it.
const INSTALLS = `
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
mkdirSync(join(__dirname, 'dist'), { recursive: true });
writeFileSync(join(__dirname, 'dist', 'electron'), '#!/bin/sh\\nprintf 45.4.1\\n', { mode: 0o755 });
writeFileSync(join(__dirname, 'path.txt'), 'electron');
writeFileSync(join(__dirname, 'ran'), '');
`;
const FAILS_OFFLINE = `
require('node:fs').writeFileSync(require('node:path').join(__dirname, 'ran'), '');
console.error('RequestError: getaddrinfo ENOTFOUND github.com');
process.exit(1);
`;

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('findElectronBinary', () => {
  it('fetches a missing binary with install.js where downloads are allowed, and uses it', () => {
    const { root, packageDir } = fakeProject(INSTALLS);
    expect(findElectronBinary(root, { PATH: process.env.PATH })).toEqual({
      path: join(packageDir, 'dist', 'electron'),
      fetched: true,
    });
  });

  it('uses an installed binary without fetching', () => {
    const { root, packageDir } = fakeProject(INSTALLS);
    findElectronBinary(root, { PATH: process.env.PATH });
    rmSync(join(packageDir, 'ran'));
    expect(findElectronBinary(root, { PATH: process.env.PATH })).toMatchObject({ fetched: false });
    expect(existsSync(join(packageDir, 'ran'))).toBe(false);
  });

  it('does not fetch with ELECTRON_SKIP_BINARY_DOWNLOAD set, and says so', () => {
    const { root, packageDir } = fakeProject(INSTALLS);
    const found = findElectronBinary(root, { PATH: process.env.PATH, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(found).toEqual({
      reason: 'the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set (as in CI)',
    });
    expect(existsSync(join(packageDir, 'ran'))).toBe(false);
  });

  it('names the download error when the fetch fails', () => {
    const { root, packageDir } = fakeProject(FAILS_OFFLINE);
    expect(findElectronBinary(root, { PATH: process.env.PATH, ELECTRON_SKIP_BINARY_DOWNLOAD: '0' })).toEqual({
      reason:
        'the Electron binary is not installed and downloading it failed: RequestError: getaddrinfo ENOTFOUND github.com',
    });
    expect(existsSync(join(packageDir, 'ran'))).toBe(true);
  });

  it('says so when the binary is there but cannot run', () => {
    const { root, packageDir } = fakeProject(INSTALLS);
    findElectronBinary(root, { PATH: process.env.PATH });
    writeFileSync(
      join(packageDir, 'dist', 'electron'),
      '#!/bin/sh\necho "cannot open display" >&2\nexit 1\n',
    );
    chmodSync(join(packageDir, 'dist', 'electron'), 0o755);
    expect(findElectronBinary(root, { PATH: process.env.PATH })).toEqual({
      reason: 'the Electron binary does not run here: cannot open display',
    });
  });
});
