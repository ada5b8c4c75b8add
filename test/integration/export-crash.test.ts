// A `stemhook export --overwrite` whose host is SIGKILLed mid-set (real `stemhook serve` and
// `stemhook export` processes): the producer's folder keeps the previous export byte-identical with
// no `.part` file, the next start removes the hidden staging folder, and a second run succeeds.
// The kill lands mid-set without timing: one take's PCM cache is swapped for a FIFO, so reading it
// blocks forever while the other take is already staged.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportResultView } from '../../shared/api.ts';
import type { TaskView } from '../../shared/domain.ts';
import {
  cleanEnv,
  runCli,
  runJson,
  startServeProcess,
  stopProcess,
  type ServeProcess,
} from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-export-crash-'));
const out = join(dataDir, 'out');
const env = cleanEnv({
  STEMHOOK_DATA_DIR: dataDir,
  STEMHOOK_DEMO_AUDIO_SECONDS: '2',
  STEMHOOK_DEMO_STAGE_MS: '50',
});
let serve: ServeProcess | null = null;

afterAll(async () => {
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const visible = () =>
  readdirSync(out)
    .filter((n) => !n.startsWith('.'))
    .sort();
const snapshot = () => new Map(visible().map((n) => [n, readFileSync(join(out, n))]));
const stagingFolders = () => readdirSync(out).filter((n) => n.startsWith('.stemhook-export-'));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`gave up waiting: ${what}`);
}

const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

describe.skipIf(!hasMkfifo)('export killed mid-set', () => {
  it('keeps the previous export, leaves no .part, and is cleaned by the next start', async () => {
    const source = await writeToneMp3(join(dataDir, 'vocal.mp3'), { seconds: 1 });
    serve = await startServeProcess(env, dataDir);
    const submitted = await runJson<TaskView>(
      ['submit', 'add-instrumental', source, '--title', 'Crash', '--tags', 'dub', '--negative-tags', 'x'],
      env,
    );
    const task = await runJson<TaskView>(['wait', submitted.id], env);
    const args = ['export', task.id, '--out', out, '--session', 'rpp', '--overwrite'];
    await runJson<ExportResultView>(args, env);
    const before = snapshot();
    expect(before.size).toBe(5); // stems, session, provenance and the take's lyrics (.lrc)

    const pcm = (task.tracks[1]?.localPath ?? '').replace(/\.[^.]+$/, '.pcm');
    expect(existsSync(pcm)).toBe(true);
    renameSync(pcm, `${pcm}.kept`);
    expect(spawnSync('mkfifo', [pcm]).status).toBe(0);

    const killed = runCli([...args, '--format', 'wav16'], env);
    await until(
      () => stagingFolders().some((s) => readdirSync(join(out, s)).some((n) => n.endsWith('Take 1.wav'))),
      'the first take staged',
    );
    await stopProcess(serve.child, 'SIGKILL');
    serve = null;
    expect((await killed).code).not.toBe(0);
    expect(snapshot()).toEqual(before);
    expect(readdirSync(out).some((n) => n.endsWith('.part'))).toBe(false);
    expect(stagingFolders()).toHaveLength(1);

    rmSync(pcm);
    renameSync(`${pcm}.kept`, pcm);
    serve = await startServeProcess(env, dataDir);
    await until(() => stagingFolders().length === 0, 'the start to remove the staging folder');
    expect(snapshot()).toEqual(before);

    const again = await runJson<ExportResultView>([...args, '--format', 'wav16'], env);
    expect(again.files.map((f) => f.name).sort()).toEqual(visible());
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 180_000);
});
