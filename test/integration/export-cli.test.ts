// `stemhook export` against a demo `stemhook serve`: the files it lists with --json exist with the
// promised format and equal sample counts, a second run numbers the set instead of overwriting,
// --stems picks lanes, --lossless goes through KIE's WAV conversion, bad flags fail clearly; `show
// --json` carries each take's lyrics flag and sections, and the .lrc comes along (--no-lrc leaves it).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResultView } from '../../shared/api.ts';
import type { TaskView } from '../../shared/domain.ts';
import { parseExportArgs, pickTracks } from '../../electron/core/cli/export-command.ts';
import {
  generateTakeByCli,
  ROOT,
  demoCliEnv,
  runCli,
  runJson,
  startServeProcess,
  stopProcess,
  type ServeProcess,
} from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { readWavFile } from '../helpers/wav-reader.ts';

const { dataDir, env } = demoCliEnv('stemhook-export-cli-', { audioSeconds: 2, stageMs: 50 });
let serve: ServeProcess;
let task: TaskView;

beforeAll(async () => {
  const source = await writeToneMp3(join(dataDir, 'vocal.mp3'), { seconds: 1 });
  serve = await startServeProcess(env, dataDir);
  task = await generateTakeByCli<TaskView>(env, source, {
    title: 'Tide / Pool',
    tags: 'dub, 70 bpm',
    negativeTags: 'edm',
  });
});

afterAll(async () => {
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stemhook show', () => {
  it("--json carries each take's lyrics flag and sections; the human form names them", async () => {
    expect(task.tracks.map((t) => t.lyrics?.state)).toEqual(['found', 'found']);
    expect(task.tracks[0]?.lyrics?.sections[0]).toMatchObject({ name: 'Verse', startSec: 0 });
    const human = await runCli(['show', task.id], env);
    expect(human.stdout).toContain('lyrics yes; sections Verse 0:00');
  });
});

describe('stemhook export', () => {
  it('exports 16-bit 48 kHz stems, a mixdown and both sessions, and lists them with sample counts', async () => {
    const out = join(dataDir, 'out');
    const result = await runJson<ExportResultView>(
      [
        'export',
        task.id,
        '--out',
        out,
        '--format',
        'wav16',
        '--rate',
        '48000',
        '--session',
        'dawproject,rpp',
        '--mixdown',
      ],
      env,
    );
    expect(result.folder).toBe(out);
    expect(result.files.map((f) => f.name).sort()).toEqual([
      'Tide - Pool.dawproject',
      'Tide - Pool.lrc',
      'Tide - Pool.rpp',
      'Tide - Pool_Mix.wav',
      'Tide - Pool_Take 1.wav',
      'Tide - Pool_Take 2.wav',
      'provenance.json',
    ]);
    for (const file of result.files.filter((f) => f.kind === 'stem' || f.kind === 'mixdown')) {
      const wav = await readWavFile(file.path);
      expect(wav).toMatchObject({ bitsPerSample: 16, sampleRate: 48000, frames: result.sampleCount });
      expect(file.sampleCount).toBe(result.sampleCount);
    }
    expect(result.sampleCount).toBeGreaterThan(2 * 48000 - 100);
    const again = await runJson<ExportResultView>(
      ['export', task.id, '--out', out, '--format', 'wav16', '--rate', '48000', '--session', 'rpp'],
      env,
    );
    expect(again.files.map((f) => f.name)).toContain('Tide - Pool_Take 1 (2).wav');
    expect(again.files.every((f) => existsSync(f.path))).toBe(true);
  });

  it('exports a selection in human-readable form', async () => {
    const out = join(dataDir, 'one');
    const result = await runCli(
      ['export', task.kieTaskId, '--out', out, '--stems', 'take2', '--session', 'none', '--no-lrc'],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`exported 2 files to ${out} (wav24, 44100 Hz`);
    expect(result.stdout).toContain('Tide - Pool_Take 2.wav');
    expect(existsSync(join(out, 'Tide - Pool_Take 1.wav'))).toBe(false);
  });

  it("uses KIE's WAV conversion with --lossless", async () => {
    const result = await runJson<ExportResultView>(
      [
        'export',
        task.id,
        '--out',
        join(dataDir, 'lossless'),
        '--stems',
        'take1',
        '--lossless',
        '--session',
        'none',
      ],
      env,
    );
    expect(result.files[0]).toMatchObject({ decodedFrom: 'wav', label: 'Take 1' });
    const conversions = await runJson<TaskView[]>(['tasks', '--search', 'Tide'], env);
    expect(
      conversions.some((t) => t.kind === 'wav' && t.parentTaskId === task.id && t.state === 'complete'),
    ).toBe(true);
  });

  it('fails with one clear line on bad flags and unknown stems', async () => {
    const badFormat = await runCli(['export', task.id, '--format', 'mp3'], env);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toMatch(/^stemhook: --format must be wav24, wav16 or wav32f/);
    const badStem = await runCli(['export', task.id, '--stems', 'kazoo'], env);
    expect(badStem.stderr).toMatch(/no downloaded track "kazoo" in this task; it has: Take 1, Take 2/);
  });

  it('refuses unusable folders and bad flag values with a reason and a non-zero exit', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['export', task.id, '--out', ''], /^stemhook: --out needs a folder/],
      [['export', task.id, '--out', '/proc/stemhook-x'], /^stemhook: Cannot export to \/proc\/stemhook-x: /],
      [['export', task.id, '--timeout', 'soon'], /^stemhook: --timeout must be a number of seconds/],
      [
        ['wait', task.id, '--timeout', 'abc'],
        /^stemhook: --timeout must be a number of seconds above 0 and at most 604800, not "abc"/,
      ],
      [['wait', task.id, '--timeout=-1'], /^stemhook: --timeout must be a number of seconds/],
      [
        ['tasks', '--state', 'bogus'],
        /^stemhook: --state must be one of submitted, text, first, complete, failed/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, env);
      expect({ args, code: result.code }).toEqual({ args, code: 1 });
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(join(ROOT, 'Tide - Pool_Take 1.wav'))).toBe(false);
  });
});

describe('export argument parsing', () => {
  it('resolves --out against the working folder and maps flags onto the contract', () => {
    const { input } = parseExportArgs(
      [
        'abc',
        '--out',
        'stems',
        '--rate',
        '44100',
        '--session',
        'rpp',
        '--session',
        'dawproject',
        '--tempo',
        '120',
        '--mp3',
      ],
      '/home/me',
    );
    expect(input).toMatchObject({
      taskId: 'abc',
      outDir: '/home/me/stems',
      rate: 44100,
      sessions: ['rpp', 'dawproject'],
      tempoBpm: 120,
      source: 'mp3',
      onConflict: 'suffix',
    });
    expect(parseExportArgs(['abc', '--overwrite', '--session', 'none']).input).toMatchObject({
      onConflict: 'overwrite',
      sessions: [],
    });
    expect(parseExportArgs(['abc']).input.lrc).toBeUndefined();
    expect(parseExportArgs(['abc', '--lrc']).input.lrc).toBe(true);
    expect(parseExportArgs(['abc', '--no-lrc']).input.lrc).toBe(false);
    expect(() => parseExportArgs(['abc', '--rate', '22050'])).toThrow(/--rate/);
    expect(() => parseExportArgs(['abc', '--out', ''])).toThrow(/--out needs a folder/);
    expect(() => parseExportArgs(['abc', '--timeout', 'NaN'])).toThrow(/--timeout/);
    expect(() => parseExportArgs([])).toThrow(/which task/);
  });

  it('picks stems by name, label, track id or audio id', () => {
    const track = (id: string, stem: TaskView['tracks'][number]['stem']) =>
      ({ id, audioId: `a-${id}`, stem, state: 'ready' }) as TaskView['tracks'][number];
    const view = {
      tracks: [track('1', 'vocals'), track('2', 'backing_vocals'), track('3', 'drums')],
    } as TaskView;
    expect(pickTracks(view, 'backing vocals, drums')).toEqual(['2', '3']);
    expect(pickTracks(view, 'Backing_Vocals,1,a-3')).toEqual(['2', '1', '3']);
  });
});
