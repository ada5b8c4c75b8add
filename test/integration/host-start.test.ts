// How a host starts on a data folder: the OS lock (one host per folder, never blocked by a dead or
// reused PID, never won twice in a race), and the plain refusals for a damaged secrets file, a
// damaged database and a read-only disk. Real processes, real files, a real read-only mount where
// this machine allows mounting (root on Linux), otherwise that case says why it is skipped.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../electron/core/host/data-dir-lock.ts';
import { cleanEnv, ROOT, runCli } from '../helpers/cli.ts';

let dataDir = '';
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stemhook-start-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const LOCK_MODULE = join(ROOT, 'electron/core/host/data-dir-lock.ts');

/**
 * A child process that tries to take the lock at `startAt` (ms epoch) and reports; it holds what
 * it got until the test closes its stdin, so a slow starter can never find the lock free again.
 */
function racer(startAt: number): { outcome: Promise<string>; finish(): Promise<void> } {
  const script = `
    const { lockDataDir } = await import(${JSON.stringify(LOCK_MODULE)});
    while (Date.now() < ${startAt}) {}
    try { lockDataDir(${JSON.stringify(dataDir)}); console.log('won'); }
    catch (error) { console.log(error.code === 'data_dir_locked' ? 'lost' : 'error ' + error.message); }
    process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  const closed = new Promise<void>((done) => child.on('close', () => done()));
  const outcome = new Promise<string>((done, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) done(out.trim());
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    void closed.then(() => done(out.trim()));
  });
  return { outcome, finish: () => (child.stdin.end(), closed) };
}

describe('the data-folder lock', () => {
  it('two hosts starting at the same instant: exactly one wins, every time', async () => {
    for (let round = 0; round < 6; round++) {
      const startAt = Date.now() + 700;
      const racers = [racer(startAt), racer(startAt)];
      const outcomes = await Promise.all(racers.map((r) => r.outcome));
      await Promise.all(racers.map((r) => r.finish()));
      expect(outcomes.sort(), `round ${round}`).toEqual(['lost', 'won']);
    }
  });

  it('refuses a second holder in the same process, naming the running host, and frees on release', () => {
    writeFileSync(join(dataDir, 'host.json'), JSON.stringify({ pid: 4242 }));
    const release = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dataDir)).toThrow(/Another Stemhook \(pid 4242\) is already using/);
    release();
    release();
    lockDataDir(dataDir)();
  });

  it('a host killed with SIGKILL leaves no lock behind', async () => {
    const script = `const { lockDataDir } = await import(${JSON.stringify(LOCK_MODULE)});
      lockDataDir(${JSON.stringify(dataDir)}); console.log('locked'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    await new Promise<void>((done) => child.stdout.on('data', () => done()));
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    child.kill('SIGKILL');
    await new Promise((done) => child.on('close', done));
    lockDataDir(dataDir)();
  });

  it('an old PID lock file whose PID now belongs to another program does not block the start', () => {
    // PID 1 is always alive, and it is not a Stemhook host (host.json does not name it).
    writeFileSync(join(dataDir, 'host.lock'), '1');
    lockDataDir(dataDir)();
  });
});

describe('refusals a producer can act on', () => {
  it('a truncated secrets.json refuses the start instead of running a live library in demo mode', async () => {
    const damaged = '{"apiKey":"kie-live-key-0123456';
    writeFileSync(join(dataDir, 'secrets.json'), damaged, { mode: 0o600 });
    const result = await runCli(['serve'], cleanEnv({ STEMHOOK_DATA_DIR: dataDir }), 60_000);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/could not read its saved keys in .*secrets\.json.*left as it is/);
    expect(result.stdout + result.stderr).not.toMatch(/demo/i);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toBe(damaged);
  });

  it('a damaged database: says which file, that it was not changed, and what to do', async () => {
    const garbage = Buffer.alloc(8192, 0x41);
    writeFileSync(join(dataDir, 'stemhook.db'), garbage);
    const result = await runCli(['serve'], cleanEnv({ STEMHOOK_DATA_DIR: dataDir }), 60_000);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`The library database ${join(dataDir, 'stemhook.db')} is damaged`);
    expect(result.stderr).toMatch(/did not change it\. Restore it from a backup, or move it aside/);
    expect(readFileSync(join(dataDir, 'stemhook.db')).equals(garbage)).toBe(true);
  });

  it('a read-only disk: says the folder is read-only and what to do', async (context) => {
    const mountPoint = join(dataDir, 'ro');
    mkdirSync(mountPoint);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', mountPoint]);
    if (mounted.status !== 0) {
      context.skip(
        `cannot mount a read-only tmpfs here: ${String(mounted.stderr).trim() || 'not permitted'}`,
      );
      return;
    }
    try {
      const result = await runCli(['serve'], cleanEnv({ STEMHOOK_DATA_DIR: mountPoint }), 60_000);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(
        new RegExp(`cannot use its data folder ${mountPoint}: .* read-only disk\\. .*STEMHOOK_DATA_DIR`),
      );
      expect(result.stderr).not.toMatch(/EROFS/);
    } finally {
      spawnSync('umount', [mountPoint]);
    }
  });
});
