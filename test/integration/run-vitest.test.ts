// The test command's crash rerun (test/run-vitest.ts) on a real nested Vitest run: a file whose
// process dies under SIGTRAP runs again and must pass; a file that crashes every time, or a failed
// test beside a crash, fails the command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function runCommand(include: string, marker: string | null) {
  // `ulimit -c 0`: the fixture's SIGTRAP must not leave a core file wherever a machine writes them.
  const result = spawnSync(
    'sh',
    [
      '-c',
      'ulimit -c 0 && exec "$0" "$@"',
      process.execPath,
      'test/run-vitest.ts',
      '--config=test/fixtures/vitest-crash/vitest.config.ts',
    ],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        STEMHOOK_CRASH_FIXTURE: include,
        ...(marker ? { STEMHOOK_CRASH_MARKER: marker } : {}),
        NO_COLOR: '1',
      },
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function markerPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-crash-'));
  dirs.push(dir);
  return join(dir, 'crashed');
}

describe('test command crash rerun', () => {
  it('reruns a file whose process was killed, says so with what it printed, and passes when it passes', () => {
    const run = runCommand('crash.fixture.ts', markerPath());
    expect(run.output).toContain('==== TEST PROCESS CRASH ====');
    expect(run.output).toMatch(/crash\.fixture\.ts: killed by SIGTRAP/);
    expect(run.output).toContain('# Check failed: fixture crash.');
    expect(run.status).toBe(0);
  });

  it('fails when the file crashes again', () => {
    const run = runCommand('crash.fixture.ts', null);
    expect(run.output).toContain('==== TEST PROCESS CRASH ====');
    expect(run.status).not.toBe(0);
  });

  it('never reruns when a test failed beside the crash', () => {
    const run = runCommand('*.fixture.ts', markerPath());
    expect(run.output).toContain('Worker exited unexpectedly with signal SIGTRAP');
    expect(run.output).not.toContain('==== TEST PROCESS CRASH ====');
    expect(run.status).not.toBe(0);
  });
});
