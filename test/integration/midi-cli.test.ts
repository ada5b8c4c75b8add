// `stemhook submit midi` and `export --midi` against a demo `stemhook serve`: one MIDI task per
// chosen stem, `show --json` lists the instruments and note counts, the export writes the .mid files
// and refuses plainly when there is no MIDI.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResultView } from '../../shared/api.ts';
import type { TaskView } from '../../shared/domain.ts';
import { parseSubmitArgs } from '../../electron/core/cli/submit-args.ts';
import {
  cleanEnv,
  generateTakeByCli,
  runCli,
  runJson,
  startServeProcess,
  stopProcess,
  type ServeProcess,
} from '../helpers/cli.ts';
import { readSmf } from '../helpers/smf-reader.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-midi-cli-'));
const env = cleanEnv({
  STEMHOOK_DATA_DIR: dataDir,
  STEMHOOK_DEMO_AUDIO_SECONDS: '3',
  STEMHOOK_DEMO_STAGE_MS: '50',
});
let serve: ServeProcess;
let take: TaskView;
let split: TaskView;

beforeAll(async () => {
  const source = await writeToneMp3(join(dataDir, 'vocal.mp3'), { seconds: 1 });
  serve = await startServeProcess(env, dataDir);
  take = await generateTakeByCli<TaskView>(env, source, { title: 'Low Tide', tags: 'dub, 70 bpm' });
  const separated = await runJson<TaskView>(
    [
      'submit',
      'separate',
      '--from',
      take.id,
      '--audio-id',
      take.tracks[0]?.audioId ?? '',
      '--type',
      'split_stem',
    ],
    env,
  );
  split = await runJson<TaskView>(['wait', separated.id], env);
  // Twelve stems are synthesised and encoded for real: slow when the machine is busy.
}, 180_000);

afterAll(async () => {
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stemhook submit midi', () => {
  it('parses --stems into one MIDI task per stem, and no --stems into one task for every stem', () => {
    expect(parseSubmitArgs(['midi', '--from', 'x', '--stems', 'drums, Bass']).inputs).toEqual([
      { kind: 'midi', from: { taskId: 'x', stem: 'drums' } },
      { kind: 'midi', from: { taskId: 'x', stem: 'bass' } },
    ]);
    expect(parseSubmitArgs(['midi', '--from', 'x']).inputs).toEqual([
      { kind: 'midi', from: { taskId: 'x' } },
    ]);
    expect(() => parseSubmitArgs(['midi', '--from', 'x', '--stems', 'kazoo'])).toThrow(
      /--stems takes stem names/,
    );
    expect(() => parseSubmitArgs(['midi'])).toThrow(/--from/);
  });

  it('transcribes the chosen stems, shows instruments and note counts, and exports their .mid files', async () => {
    const submitted = await runJson<TaskView[]>(
      ['submit', 'midi', '--from', split.id, '--stems', 'drums,bass'],
      env,
    );
    expect(submitted.map((t) => t.kind)).toEqual(['midi', 'midi']);
    for (const task of submitted) await runJson<TaskView>(['wait', task.id], env);
    const shown = await Promise.all(submitted.map((t) => runJson<TaskView>(['show', t.id], env)));
    expect(shown.map((t) => t.midi?.instruments.map((i) => i.stem))).toEqual([['drums'], ['bass']]);
    for (const task of shown) expect(task.midi?.instruments[0]?.noteCount).toBeGreaterThan(0);
    const human = await runCli(['show', submitted[1]?.id ?? ''], env);
    expect(human.stdout).toMatch(/bass\s+Electric Bass \(finger\)\s+\d+ notes/);

    const out = join(dataDir, 'out');
    const result = await runJson<ExportResultView>(['export', split.id, '--out', out, '--midi'], env);
    const names = result.files.filter((f) => f.kind === 'midi').map((f) => f.name);
    expect(names.sort()).toEqual(['Low Tide_Bass.mid', 'Low Tide_Drums.mid', 'Low Tide_MIDI.mid']);
    const bass = readSmf(new Uint8Array(readFileSync(join(out, 'Low Tide_Bass.mid'))));
    expect(bass.tracks[1]?.notes.length).toBe(shown[1]?.midi?.instruments[0]?.noteCount);
    expect(existsSync(join(out, 'Low Tide_Drums.wav'))).toBe(true);
  });

  it('refuses export --midi of a task without MIDI in one plain sentence', async () => {
    const failed = await runCli(['export', take.id, '--out', join(dataDir, 'none'), '--midi'], env);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/no MIDI to export: transcribe the separation to MIDI first/);
  });
});
