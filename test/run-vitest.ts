// The test command's last step: `vitest run`, and once more for any test file whose process died
// under a signal instead of failing a test.
//
// Why: one CI run lost a whole stop to a Vitest fork that died with SIGTRAP (V8's fatal check)
// while running test/integration/core-faults.test.ts; 30 runs of that file here (alone, beside
// another file, under a CPU hog) never repeated it. A crash like that says nothing about the tests that did report, and the
// file's own tests never ran to the end. So the crashed files run again, alone, and must pass; a
// failed test or any other error is never rerun. The crash is printed plainly, with what the dying
// process said about itself, so it can be traced rather than forgotten.
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { readRun } from './helpers/vitest-crash.ts';

const VITEST = 'node_modules/vitest/vitest.mjs';

/** Runs Vitest with the given arguments, echoing its output as it comes, and returns both. */
function runVitest(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VITEST, 'run', ...args], { stdio: ['inherit', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    child.stdout.on('data', (data: Buffer) => {
      process.stdout.write(data);
      chunks.push(data.toString());
    });
    child.stderr.on('data', (data: Buffer) => {
      process.stderr.write(data);
      chunks.push(data.toString());
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: chunks.join('') }));
  });
}

const args = process.argv.slice(2);
const first = await runVitest(args);
if (first.code === 0) process.exit(0);

const verdict = readRun(first.output);
if (verdict.crashed.length === 0 || verdict.hasOtherFailures) process.exit(first.code);

const files = verdict.crashed.map(({ file }) => relative(process.cwd(), file));
console.error(
  [
    '',
    '==== TEST PROCESS CRASH ====',
    ...verdict.crashed.map(({ file, signal }) => `${relative(process.cwd(), file)}: killed by ${signal}`),
    ...(verdict.fatalLines.length > 0
      ? ['what the process printed:', ...verdict.fatalLines.map((line) => `  ${line}`)]
      : ['(it printed no fatal error of its own)']),
    'Every other file passed. Running the crashed files again, alone; they must pass.',
    '',
  ].join('\n'),
);
// Options (written `--name=value`) stay; the file filters become the crashed files.
const rerun = await runVitest([...args.filter((arg) => arg.startsWith('--')), ...files]);
process.exit(rerun.code);
