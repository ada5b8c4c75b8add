// What a producer reads at the terminal (no --json): `stemhook` help, submit / wait / show / tasks /
// credits / status in words against a demo `stemhook serve`, and one plain line for every mistake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { demoCliEnv, runCli, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';

const { dataDir, env } = demoCliEnv('stemhook-cli-human-', { audioSeconds: 2, stageMs: 100 });
let serve: ServeProcess;
let source: string;

beforeAll(async () => {
  source = await writeToneMp3(join(dataDir, 'guitar idea.mp3'), { seconds: 1 });
  serve = await startServeProcess(env, dataDir);
});

afterAll(async () => {
  if (serve) await stopProcess(serve.child, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs a command that must succeed and returns what it printed. */
async function ok(args: string[]): Promise<string> {
  const result = await runCli(args, env);
  expect(result.stderr, `stemhook ${args.join(' ')}`).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** Runs a command that must fail with exit 1 and one line on stderr; returns that line. */
async function refused(args: string[]): Promise<string> {
  const result = await runCli(args, env);
  expect(result.code, `stemhook ${args.join(' ')}`).toBe(1);
  expect(result.stdout).toBe('');
  return result.stderr.trim().split('\n')[0] ?? '';
}

describe('stemhook in words', () => {
  it('prints its usage for help and no command', async () => {
    for (const args of [[], ['help'], ['--help']]) {
      const usage = await ok(args);
      expect(usage).toMatch(/^usage: stemhook <command>/);
      expect(usage).toMatch(/submit separate/);
      expect(usage).toMatch(/export <task>/);
    }
  });

  it('reports an empty library, the demo credits and the host status', async () => {
    expect(await ok(['tasks'])).toBe('no tasks yet\n');
    expect(await ok(['credits'])).toMatch(/^\d+(\.\d+)? credits \(demo simulator\)\n$/);
    const status = await ok(['status']);
    expect(status).toMatch(/^mode demo$/m);
    expect(status).toMatch(/^tunnel \w+/m);
    expect(status).toMatch(/^downloads 0 running, 0 queued$/m);
    expect(status).toContain(`ui ${serve.hostFile.uiUrl}`);
  });

  it('submits a separation of a file, waits, and shows the task and the library line', async () => {
    const submitted = await ok(['submit', 'separate', source]);
    const [, id, kieTaskId] = /^submitted (\S+) \(KIE task (\S+)\)/.exec(submitted) ?? [];
    expect(id).toBeTruthy();
    expect(submitted).toMatch(/^ {2}source guitar idea\.mp3$/m);

    const done = await ok(['wait', id!, '--timeout', '300']);
    expect(done).toMatch(/\[separate_vocal\]/);
    expect(done).toContain(`id ${id}   KIE task ${kieTaskId}`);
    expect(done).toMatch(/^ {2}state complete$/m);
    expect(done).toMatch(/^ {2}stages .* → /m);
    // Every stem is ready with its length, rate, channels and where it is on disk.
    const stems = done.split('\n').filter((line) => line.startsWith('  - '));
    expect(stems).toHaveLength(2);
    for (const line of stems) expect(line).toMatch(/ready\s+\d+\.\d\ds 44100 Hz 2ch .*\.mp3$/);

    // The same task by its KIE id. Lines the core derives in the background after the task is done
    // (each stem's tempo/key analysis, indented under it, and the split's residual) may have
    // changed between the two calls, so they are left out of the comparison.
    const settled = (text: string) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('    ') && !line.startsWith('residual '))
        .join('\n');
    expect(settled(await ok(['show', kieTaskId!]))).toBe(settled(done));
    const listed = await ok(['tasks', '--state', 'complete', '--search', 'guitar']);
    expect(listed).toMatch(
      new RegExp(`^${id!.slice(0, 8)} {2}separate_vocal +complete +2/2 ready +\\d+s ago +guitar idea$`, 'm'),
    );
    expect(await ok(['tasks', '--state', 'failed'])).toBe('no tasks yet\n');
  });

  it('refuses mistakes with one plain line', async () => {
    expect(await refused(['frobnicate'])).toBe('stemhook: unknown command "frobnicate"');
    expect(await refused(['show'])).toBe('stemhook: show which task? Give its id or KIE task id.');
    expect(await refused(['wait', 'x', '--timeout', 'soon'])).toMatch(
      /--timeout must be a number of seconds above 0/,
    );
    expect(await refused(['tasks', '--state', 'bogus'])).toMatch(/--state must be one of .*, not "bogus"/);
    expect(await refused(['status', '--verbose'])).toMatch(/^stemhook: .*--verbose/);
  });
});
