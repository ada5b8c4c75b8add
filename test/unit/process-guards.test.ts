// The host's last-resort nets, in a real child process: a storage fault that escapes as an unhandled
// rejection or an uncaught exception is logged and survived; a bug is logged loudly (and an
// uncaught one still ends `serve`, as Node would).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const GUARDS = resolve(import.meta.dirname, '../../electron/core/host/process-guards.ts');

function runWithGuards(body: string) {
  const script = `import { installProcessGuards } from ${JSON.stringify(GUARDS)};\ninstallProcessGuards();\n${body}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('process guards', () => {
  it('survive storage faults and bugs in promises, logging each for what it is', () => {
    const result = runWithGuards(`
      const fault = (code, message) => Object.assign(new Error(message), { code });
      Promise.reject(fault('SQLITE_FULL', 'database or disk is full'));
      Promise.reject(new TypeError('task.tracks is not iterable'));
      setTimeout(() => { throw fault('SQLITE_BUSY', 'database is locked'); }, 10);
      setTimeout(() => console.log('still serving'), 200);
    `);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('still serving');
    expect(result.stderr).toMatch(/storage fault \(disk_full\).*database or disk is full/);
    expect(result.stderr).toMatch(/storage fault \(busy\).*database is locked/);
    expect(result.stderr).toMatch(/BUG: unhandled promise rejection[\s\S]*task\.tracks is not iterable/);
  });

  it('end the process on an uncaught bug, saying so', () => {
    const result = runWithGuards(`
      setTimeout(() => { throw new TypeError('cannot read properties of undefined'); }, 10);
      setTimeout(() => console.log('still serving'), 500);
    `);
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('still serving');
    expect(result.stderr).toMatch(/BUG: uncaught exception[\s\S]*cannot read properties of undefined/);
  });
});
