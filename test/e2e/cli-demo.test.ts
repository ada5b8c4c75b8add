// The README's promise end to end: `stemhook serve` with no API key runs demo mode, and the CLI
// submits every operation, waits, and finds real decodable audio and peaks on disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { until } from '../helpers/until.ts';
import {
  cleanEnv,
  demoCliEnv,
  runCli,
  runJson,
  startServeProcess,
  stopProcess,
  type ServeProcess,
} from '../helpers/cli.ts';
import { lockDataDir } from '../../electron/core/host/data-dir-lock.ts';

const { dataDir, env } = demoCliEnv('stemhook-cli-', { audioSeconds: 3, stageMs: 150 });
let serve: ServeProcess;
let source: string;

beforeAll(async () => {
  source = await writeToneMp3(join(dataDir, 'vocal take.mp3'), { seconds: 2 });
  serve = await startServeProcess(env, dataDir);
});

afterAll(async () => {
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function expectPlayable(task: TaskView, count: number): void {
  expect(task.state).toBe('complete');
  expect(task.tracks).toHaveLength(count);
  for (const track of task.tracks) {
    expect(track.state, `${track.stem}: ${track.error}`).toBe('ready');
    expect(track.localPath && existsSync(track.localPath)).toBe(true);
    expect(
      readFileSync(track.localPath ?? '')
        .subarray(0, 3)
        .toString('latin1'),
    ).toMatch(/^(ID3|\xff)/);
    expect(track.sampleRate).toBe(44100);
    expect(track.channels).toBe(2);
    expect(track.durationSec).toBeGreaterThan(2.9);
    expect(track.durationSec).toBeLessThan(3.2);
  }
}

describe('stemhook CLI against demo serve', () => {
  it('writes host.json with the contract fields, mode 0600', async () => {
    expect(serve.hostFile.mode).toBe('demo');
    expect(serve.hostFile.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(serve.hostFile.token.length).toBeGreaterThan(30);
    expect(statSync(join(dataDir, 'host.json')).mode & 0o777).toBe(0o600);
    // The banner is printed once the host has started, just after host.json is written: wait for it.
    await until(() => serve.output().includes('DEMO mode'), 'the "DEMO mode" banner on stdout');
  });

  it('add-instrumental completes with downloaded, decoded takes', async () => {
    const submitted = await runJson<TaskView>(
      [
        'submit',
        'add-instrumental',
        source,
        '--title',
        'Harbor Lights',
        '--tags',
        'indie folk',
        '--negative-tags',
        'edm',
      ],
      env,
    );
    expect(submitted.kind).toBe('add-instrumental');
    expect(submitted.state).toBe('submitted');
    const done = await runJson<TaskView>(['wait', submitted.id], env);
    expectPlayable(done, 2);
    expect(done.stages.map((s) => s.name)).toEqual(['submitted', 'text', 'first', 'complete']);
    expect(done.tracks.every((t) => t.stem === 'take' && t.audioId)).toBe(true);
    const byKieId = await runJson<TaskView>(['show', done.kieTaskId], env);
    expect(byKieId.id).toBe(done.id);

    const take = done.tracks[0];
    const split = await runJson<TaskView>(
      ['submit', 'separate', '--from', done.id, '--audio-id', take?.audioId ?? '', '--type', 'split_stem'],
      env,
    );
    const stems = await runJson<TaskView>(['wait', split.id], env);
    expectPlayable(stems, 12);
    expect(stems.parentTaskId).toBe(done.id);
    expect(stems.tracks.find((t) => t.stem === 'woodwinds')?.isNearSilent).toBe(true);
    expect(stems.tracks.find((t) => t.stem === 'drums')?.isNearSilent).toBe(false);
  });

  it('add-vocals and separate_vocal from a file complete', async () => {
    const vocals = await runJson<TaskView>(
      [
        'submit',
        'add-vocals',
        source,
        '--title',
        'Hold the Night',
        '--prompt',
        '[Verse] neon',
        '--style',
        'synth pop',
        '--negative-tags',
        'screaming',
        '--vocal-gender',
        'f',
      ],
      env,
    );
    const separated = await runJson<TaskView>(
      ['submit', 'separate', source, '--type', 'separate_vocal'],
      env,
    );
    expectPlayable(await runJson<TaskView>(['wait', vocals.id], env), 2);
    const done = await runJson<TaskView>(['wait', separated.id], env);
    expectPlayable(done, 2);
    expect(done.tracks.map((t) => t.stem).sort()).toEqual(['instrumental', 'vocals']);
  });

  it('lists the library and rejects bad input with one clear line', async () => {
    const tasks = await runJson<TaskView[]>(['tasks'], env);
    expect(tasks.length).toBe(4);
    const bad = await runCli(
      ['submit', 'add-instrumental', source, '--title', 'x'.repeat(101), '--tags', 'pop'],
      env,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^stemhook: .*title/i);
    const missing = await runCli(['show', 'no-such-task'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^stemhook: No task no-such-task/);
  });

  it('accepts the short id `stemhook tasks` prints in show, wait, export and the search', async () => {
    const listing = await runCli(['tasks'], env);
    expect(listing.code).toBe(0);
    const line = listing.stdout.split('\n').find((l) => l.endsWith('Harbor Lights')) ?? '';
    const short = line.split(/\s+/)[0] ?? '';
    expect(short).toMatch(/^[0-9a-f]{8}$/);
    const full = await runJson<TaskView>(['show', short], env);
    expect(full.id.startsWith(short)).toBe(true);
    expect(full.title).toBe('Harbor Lights');
    expect((await runJson<TaskView>(['wait', short], env)).id).toBe(full.id);
    expect((await runJson<TaskView[]>(['tasks', '--search', short], env)).map((t) => t.id)).toEqual([
      full.id,
    ]);
    const out = join(dataDir, 'short-id-export');
    const exported = await runCli(['export', short, '--out', out, '--json'], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ taskId: full.id });
  });

  it('refuses a second host on the same data dir, and says how to start one when none runs', async () => {
    const second = await runCli(['serve'], env, 30_000);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/already using/);
    const emptyDir = mkdtempSync(join(tmpdir(), 'stemhook-none-'));
    const none = await runCli(['tasks'], cleanEnv({ STEMHOOK_DATA_DIR: emptyDir }));
    rmSync(emptyDir, { recursive: true, force: true });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/npx stemhook serve/);
  });

  it('shuts down gracefully on SIGTERM and removes host.json', async () => {
    const code = await stopProcess(serve.child, 'SIGTERM');
    expect(code).toBe(0);
    expect(existsSync(join(dataDir, 'host.json'))).toBe(false);
    // The OS lock is released: another host can take the folder now.
    lockDataDir(dataDir)();
  });
});
