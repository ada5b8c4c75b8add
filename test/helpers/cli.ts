// Runs the real `stemhook` CLI as child processes (serve in the background, commands to completion).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { flushChildCoverage } from '../coverage/child-flush.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'electron/bin/stemhook.js');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment without the developer's own KIE settings, so tests always start from a known state. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(KIE_|NGROK_|STEMHOOK_)/.test(key)) delete env[key];
  return { ...env, ...extra };
}

/** A fresh data directory and the clean environment of a demo-mode `stemhook serve` (no KIE key) on it. */
export function demoCliEnv(
  prefix: string,
  demo: { audioSeconds: number; stageMs: number },
): { dataDir: string; env: NodeJS.ProcessEnv } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const env = cleanEnv({
    STEMHOOK_DATA_DIR: dataDir,
    STEMHOOK_DEMO_AUDIO_SECONDS: String(demo.audioSeconds),
    STEMHOOK_DEMO_STAGE_MS: String(demo.stageMs),
  });
  return { dataDir, env };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

export async function runJson<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const result = await runCli([...args, '--json'], env);
  if (result.code !== 0)
    throw new Error(`stemhook ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export interface ServeProcess {
  child: ChildProcess;
  output: () => string;
  hostFile: { pid: number; apiUrl: string; uiUrl: string; token: string; receiverUrl: string; mode: string };
}

export async function startServeProcess(env: NodeJS.ProcessEnv, dataDir: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env, cwd: ROOT });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const path = join(dataDir, 'host.json');
  for (let i = 0; i < 600; i++) {
    if (existsSync(path)) {
      const hostFile = JSON.parse(readFileSync(path, 'utf8')) as ServeProcess['hostFile'];
      if (hostFile.pid === child.pid) return { child, output: () => output, hostFile };
    }
    if (child.exitCode !== null) throw new Error(`serve exited early: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`serve did not write host.json: ${output}`);
}

export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  // SIGKILL skips the coverage write at exit; in a coverage run the child writes it first.
  if (signal === 'SIGKILL') await flushChildCoverage(child);
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((done) => {
    child.once('exit', (code) => done(code));
    child.kill(signal);
  });
}

/**
 * Generates a take through the CLI (`submit add-instrumental`, then `wait`): the finished task, once
 * KIE answered for every take's lyrics.
 */
export async function generateTakeByCli<T extends { tracks: ReadonlyArray<{ lyrics?: { state: string } }> }>(
  env: NodeJS.ProcessEnv,
  source: string,
  music: { title: string; tags: string; negativeTags?: string },
): Promise<T> {
  const args = ['submit', 'add-instrumental', source, '--title', music.title, '--tags', music.tags];
  if (music.negativeTags) args.push('--negative-tags', music.negativeTags);
  const submitted = await runJson<{ id: string }>(args, env);
  let task = await runJson<T>(['wait', submitted.id], env);
  // KIE's lyrics are asked for right after the task completes; wait until every take has an answer.
  for (let i = 0; i < 200 && task.tracks.some((t) => t.lyrics?.state === 'pending'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    task = await runJson<T>(['show', submitted.id, '--json'], env);
  }
  return task;
}
