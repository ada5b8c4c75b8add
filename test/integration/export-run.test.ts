// Export end to end over a real store and real PCM caches: every file read back (our reader, ffprobe,
// sox) for bit depth, rate, channels, equal lengths and sample-exact content; provenance; sessions;
// mixdown levels; conflicts; presets; progress; lossless takes; rollback.
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events, ExportOptions } from '../../shared/api.ts';
import type { StemName } from '../../shared/domain.ts';
import { createEmitter } from '../../shared/emitter.ts';
import { createExportHandlers } from '../../electron/core/export/handlers.ts';
import type { Store } from '../../electron/core/store/index.ts';
import { hasXmllint, validateDawXml } from '../helpers/dawproject-schema.ts';
import { createTempStore, insertTestTask, type TempStore } from '../helpers/temp-store.ts';
import { storeFileIn, withRawConnection } from '../helpers/raw-sql.ts';
import { ffprobe, hasFfprobe, hasSoxi, readWavFile, skipReason, soxiFrames } from '../helpers/wav-reader.ts';

const RATE = 44100;

interface Lane {
  stem: StemName;
  frames: number;
  channels: number;
  freq: number;
  amplitude: number;
  rate?: number;
  key?: string;
  audioId?: string;
}

/** The analytic signal of a lane, in 24-bit scale, as its PCM cache holds it (rounded). */
function laneValue(lane: Lane, frame: number, channel: number, rate = lane.rate ?? RATE): number {
  return lane.amplitude * 8388608 * Math.sin((2 * Math.PI * lane.freq * (channel + 1) * frame) / rate);
}

function cacheValues(lane: Lane): Int32Array {
  const out = new Int32Array(lane.frames * lane.channels);
  for (let f = 0; f < lane.frames; f++)
    for (let c = 0; c < lane.channels; c++) out[f * lane.channels + c] = Math.round(laneValue(lane, f, c));
  return out;
}

function s24le(values: Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 3);
  values.forEach((v, i) => {
    out[3 * i] = v & 0xff;
    out[3 * i + 1] = (v >> 8) & 0xff;
    out[3 * i + 2] = (v >> 16) & 0xff;
  });
  return out;
}

async function addLane(store: Store, dir: string, taskId: string, lane: Lane): Promise<string> {
  const key = lane.key ?? lane.stem;
  const url = `https://tempfile.example/${key}.mp3`;
  const merged = store.tracks.merge(
    taskId,
    {
      key,
      audioId: lane.audioId ?? null,
      stem: lane.stem,
      title: null,
      url,
      streamUrl: null,
      imageUrl: null,
      durationSec: null,
      tags: 'synthwave, 96 bpm',
      prompt: 'neon night',
      modelName: 'chirp-v4-5',
    },
    true,
    'callback',
    2000,
  );
  const pcmPath = join(dir, `${merged.trackId}.pcm`);
  await writeFile(pcmPath, s24le(cacheValues(lane)));
  store.tracks.setIngested(
    merged.trackId,
    {
      localPath: join(dir, `${merged.trackId}.mp3`),
      pcmPath,
      peaksPath: join(dir, 'x.peaks'),
      sampleRate: lane.rate ?? RATE,
      channels: lane.channels,
      sampleCount: lane.frames,
      durationSec: lane.frames / RATE,
      peakDb: -6,
      rmsDb: -9,
      isNearSilent: false,
    },
    3000,
  );
  return merged.trackId;
}

const LANES: Lane[] = [
  { stem: 'vocals', frames: RATE * 2 + 17, channels: 2, freq: 220, amplitude: 0.4 },
  { stem: 'drums', frames: RATE * 2, channels: 2, freq: 110, amplitude: 0.5 },
  { stem: 'bass', frames: RATE + 5, channels: 1, freq: 55, amplitude: 0.6 },
];
const FRAMES = RATE * 2 + 17;

let temp: TempStore;
let dir = '';
let out = '';
let ids: string[] = [];
let taskId = '';
let parentId = '';
let events: Array<Events['export.progress']> = [];
let api: ReturnType<typeof createExportHandlers>;
let bus: ReturnType<typeof createEmitter<Events>>;

beforeEach(async () => {
  temp = createTempStore();
  dir = await mkdtemp(join(tmpdir(), 'stemhook-export-'));
  out = join(dir, 'out');
  const parent = insertTestTask(temp.store, {
    kind: 'add-instrumental',
    title: 'Night Drive',
    source_name: 'vocal take.wav',
    source_sha256: 'ab'.repeat(32),
    params: JSON.stringify({
      title: 'Night Drive',
      tags: 'synthwave, 96 bpm',
      negativeTags: 'metal',
      model: 'V4_5PLUS',
      uploadUrl: 'https://upload.example/x',
      callBackUrl: 'https://me.example/kie/SECRET-PATH',
    }),
  });
  const task = insertTestTask(temp.store, {
    kind: 'split_stem',
    title: 'Night Drive',
    parent_task_id: parent.id,
    parent_audio_id: 'take-1',
    params: JSON.stringify({ taskId: parent.kie_task_id, audioId: 'take-1', type: 'split_stem' }),
  });
  temp.store.tasks.setState(task.id, 'complete', 4000, null);
  parentId = parent.id;
  taskId = task.id;
  ids = [];
  for (const lane of LANES) ids.push(await addLane(temp.store, dir, task.id, lane));
  bus = createEmitter<Events>();
  events = [];
  bus.on('export.progress', (payload) => events.push(payload));
  api = createExportHandlers({
    store: temp.store,
    events: bus,
    dataDir: join(dir, 'data'),
    defaultDir: join(dir, 'default'),
    isPrerenderEnabled: false,
  });
});

afterEach(async () => {
  temp.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const run = (input: Partial<ExportOptions> = {}) => api['export.run']({ taskId, outDir: out, ...input });

describe('stem export', () => {
  it('writes aligned 24-bit WAVs at the source rate that equal the PCM cache, padded with silence', async () => {
    const result = await run();
    expect(result.folder).toBe(out);
    expect(result.sampleCount).toBe(FRAMES);
    const stems = result.files.filter((f) => f.kind === 'stem');
    expect(stems.map((f) => f.name)).toEqual([
      'Night Drive_Vocals.wav',
      'Night Drive_Drums.wav',
      'Night Drive_Bass.wav',
    ]);
    for (const [i, file] of stems.entries()) {
      const lane = LANES[i] as Lane;
      const wav = await readWavFile(file.path);
      expect(wav).toMatchObject({
        bitsPerSample: 24,
        sampleRate: RATE,
        channels: lane.channels,
        frames: FRAMES,
        isFloat: false,
      });
      const expected = cacheValues(lane);
      expect(wav.samples.subarray(0, expected.length).every((v, j) => v === expected[j])).toBe(true);
      expect(wav.samples.subarray(expected.length).every((v) => v === 0)).toBe(true);
      expect(file).toMatchObject({
        sampleCount: FRAMES,
        sampleRate: RATE,
        bitDepth: 24,
        channels: lane.channels,
        decodedFrom: 'mp3',
      });
      if (!hasFfprobe) {
        console.warn(skipReason('ffprobe'));
        continue;
      }
      expect(ffprobe(file.path)).toMatchObject({
        codec: 'pcm_s24le',
        sampleRate: RATE,
        channels: lane.channels,
        frames: FRAMES,
      });
      if (hasSoxi) expect(soxiFrames(file.path)).toBe(FRAMES);
    }
    expect((await readdir(out)).sort()).toEqual([
      'Night Drive_Bass.wav',
      'Night Drive_Drums.wav',
      'Night Drive_Vocals.wav',
      'provenance.json',
    ]);
  });

  it('writes 16-bit with dither within 1.5 LSB of the cache, and exact silence after the audio', async () => {
    const result = await run({ format: 'wav16' });
    for (const [i, file] of result.files.filter((f) => f.kind === 'stem').entries()) {
      const lane = LANES[i] as Lane;
      const wav = await readWavFile(file.path);
      expect(wav).toMatchObject({
        bitsPerSample: 16,
        formatTag: lane.channels <= 2 ? 1 : 0xfffe,
        frames: FRAMES,
      });
      const expected = cacheValues(lane);
      let worst = 0;
      for (let j = 0; j < expected.length; j++)
        worst = Math.max(worst, Math.abs((wav.samples[j] ?? 0) - (expected[j] ?? 0) / 256));
      expect(worst).toBeLessThan(1.5);
      expect(wav.samples.subarray(expected.length).every((v) => v === 0)).toBe(true);
      if (hasFfprobe) expect(ffprobe(file.path)).toMatchObject({ codec: 'pcm_s16le', frames: FRAMES });
    }
  });

  it('writes 32-bit float at 48 kHz: exact length, every file equal, within -80 dB of the ideal signal', async () => {
    const result = await run({ format: 'wav32f', rate: 48000 });
    const frames = Math.round((FRAMES * 48000) / RATE);
    expect(result.sampleCount).toBe(frames);
    for (const [i, file] of result.files.filter((f) => f.kind === 'stem').entries()) {
      const lane = LANES[i] as Lane;
      const wav = await readWavFile(file.path);
      expect(wav).toMatchObject({ isFloat: true, bitsPerSample: 32, sampleRate: 48000, frames });
      const audible = Math.round((lane.frames * 48000) / RATE);
      let worst = 0;
      const edge = 480;
      for (let f = edge; f < audible - edge; f++) {
        for (let c = 0; c < lane.channels; c++)
          worst = Math.max(
            worst,
            Math.abs((wav.samples[f * lane.channels + c] ?? 0) - laneValue(lane, f, c, 48000) / 8388608),
          );
      }
      expect(20 * Math.log10(worst)).toBeLessThan(-80);
      if (hasFfprobe)
        expect(ffprobe(file.path)).toMatchObject({ codec: 'pcm_f32le', sampleRate: 48000, frames });
    }
  });

  it('exports a selection, as long as its longest lane', async () => {
    const result = await run({ trackIds: [ids[2] as string, ids[1] as string] });
    expect(result.sampleCount).toBe(RATE * 2);
    expect(result.files.filter((f) => f.kind === 'stem').map((f) => f.label)).toEqual(['Bass', 'Drums']);
    await expect(run({ trackIds: ['nope'] })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('writes provenance.json with ids, operation, model, prompt/tags, source hash, result URLs, dates and format', async () => {
    await run({ sessions: ['rpp'], mixdown: 'unity' });
    const text = await readFile(join(out, 'provenance.json'), 'utf8');
    expect(text).not.toContain('SECRET-PATH');
    const p = JSON.parse(text) as {
      exportedAt: string;
      files: Array<{ kieResultUrl: string; trackId: string }>;
    };
    expect(p).toMatchObject({
      task: { id: taskId, kind: 'split_stem', operation: expect.stringContaining('split_stem') },
      lineage: [
        {
          id: parentId,
          kind: 'add-instrumental',
          parameters: { tags: 'synthwave, 96 bpm', model: 'V4_5PLUS', negativeTags: 'metal' },
        },
      ],
      summary: { model: 'chirp-v4-5', tags: 'synthwave, 96 bpm', prompt: 'neon night', tempoBpm: 96 },
      source: { fileName: 'vocal take.wav', sha256: 'ab'.repeat(32), taskId: parentId },
      format: { sampleFormat: 'wav24', bitDepth: 24, sampleRate: RATE, sampleCount: FRAMES },
      mixdown: { name: 'Night Drive_Mix.wav', mode: 'unity' },
      sessions: [{ name: 'Night Drive.rpp', format: 'rpp' }],
    });
    expect(Date.parse(p.exportedAt)).not.toBeNaN();
    expect(p.files.map((f) => f.kieResultUrl)).toEqual(
      ['vocals', 'drums', 'bass'].map((s) => `https://tempfile.example/${s}.mp3`),
    );
    expect(p.files.map((f) => f.trackId)).toEqual(ids);
  });

  it('writes sessions that reference the exported WAVs, with the tempo from the tags', async () => {
    await run({
      sessions: ['dawproject', 'rpp'],
      mix: [{ trackId: ids[1] as string, gainDb: -6, isMuted: true }],
    });
    const rpp = await readFile(join(out, 'Night Drive.rpp'), 'utf8');
    expect(rpp).toContain('TEMPO 96 4 4');
    for (const name of ['Night Drive_Vocals.wav', 'Night Drive_Drums.wav', 'Night Drive_Bass.wav']) {
      expect(rpp).toContain(`FILE "${name}"`);
      expect(existsSync(join(out, name))).toBe(true);
    }
    expect(rpp).toContain('MUTESOLO 1 0 0');
    const project = strFromU8(
      unzipSync(await readFile(join(out, 'Night Drive.dawproject')))['project.xml'] as Uint8Array,
    );
    expect(project).toContain('<File path="Night Drive_Drums.wav" external="true"/>');
    expect(project).toContain('<Tempo unit="bpm" value="96"');
  });
});

describe('mixdown', () => {
  it('mixes the studio mix (solo, mute, gain) sample-exactly and reports the peak', async () => {
    const mix = [
      { trackId: ids[0] as string, isSoloed: true },
      { trackId: ids[1] as string, isSoloed: true, gainDb: -6 },
      { trackId: ids[2] as string, gainDb: 6, isSoloed: true, isMuted: true },
    ];
    const result = await run({ mixdown: 'mix', mix });
    const file = result.files.find((f) => f.kind === 'mixdown');
    expect(file).toMatchObject({ name: 'Night Drive_Mix.wav', channels: 2, sampleCount: FRAMES });
    const wav = await readWavFile(file?.path ?? '');
    const [vocals, drums] = [cacheValues(LANES[0] as Lane), cacheValues(LANES[1] as Lane)];
    const gain = 10 ** (-6 / 20);
    let peak = 0;
    let worst = 0;
    for (let f = 0; f < FRAMES; f++) {
      for (let c = 0; c < 2; c++) {
        const expected =
          (vocals[f * 2 + c] ?? 0) + gain * (f < (LANES[1] as Lane).frames ? (drums[f * 2 + c] ?? 0) : 0);
        peak = Math.max(peak, Math.abs(expected));
        worst = Math.max(worst, Math.abs((wav.samples[f * 2 + c] ?? 0) - expected));
      }
    }
    // Rounded once, half up: never more than half a step from the exact sum.
    expect(worst).toBeLessThanOrEqual(0.5);
    expect(result.mixdown?.gainDb).toBe(0);
    expect(result.mixdown?.peakDbfs).toBeCloseTo(20 * Math.log10(peak / 8388608), 6);
    expect(result.mixdown?.warning).toBeNull();
  });

  it('lowers an over-full integer mix below full scale and says so', async () => {
    const result = await run({ mixdown: 'unity', format: 'wav24' });
    expect(result.mixdown?.peakDbfs).toBeGreaterThan(0);
    expect(result.mixdown?.gainDb).toBeLessThan(0);
    expect(result.mixdown?.outputPeakDbfs).toBeCloseTo(-1, 3);
    expect(result.mixdown?.warning).toMatch(/lowered by/);
    const wav = await readWavFile(result.files.find((f) => f.kind === 'mixdown')?.path ?? '');
    const max = Array.from(wav.samples).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(max).toBeLessThan(8388607);
    expect(20 * Math.log10(max / 8388608)).toBeCloseTo(-1, 2);
  });

  it('keeps the level of an over-full float mix and warns', async () => {
    const result = await run({ mixdown: 'unity', format: 'wav32f' });
    expect(result.mixdown).toMatchObject({ gainDb: 0, isClipped: true });
    expect(result.mixdown?.warning).toMatch(/32-bit float/);
    const wav = await readWavFile(result.files.find((f) => f.kind === 'mixdown')?.path ?? '');
    expect(wav.samples.some((v) => Math.abs(v) > 1)).toBe(true);
  });
});

describe('conflicts, presets, progress and failures', () => {
  it('asks before overwriting, numbers the set on request, or overwrites', async () => {
    await run();
    const before = await readFile(join(out, 'Night Drive_Vocals.wav'));
    const plan = await api['export.plan']({ taskId, outDir: out });
    expect(plan.conflicts).toHaveLength(4);
    expect(plan.files.every((f) => f.exists)).toBe(true);
    await expect(run()).rejects.toMatchObject({ code: 'exists' });
    expect((await readFile(join(out, 'Night Drive_Vocals.wav'))).equals(before)).toBe(true);
    const numbered = await run({ onConflict: 'suffix' });
    expect(numbered.files.map((f) => f.name)).toContain('Night Drive_Vocals (2).wav');
    expect(numbered.files.map((f) => f.name)).toContain('provenance (2).json');
    const replaced = await run({ onConflict: 'overwrite', format: 'wav16' });
    expect(replaced.files[0]?.name).toBe('Night Drive_Vocals.wav');
    expect((await readWavFile(join(out, 'Night Drive_Vocals.wav'))).bitsPerSample).toBe(16);
  });

  it('remembers the last choices as export.* preferences, and uses them', async () => {
    await run({ format: 'wav16', rate: 48000, sessions: ['rpp'] });
    expect(temp.store.settings.get('pref.export.format')).toBe('wav16');
    expect(temp.store.settings.get('pref.export.rate')).toBe('48000');
    expect(temp.store.settings.get('pref.export.sessions')).toBe('rpp');
    expect(temp.store.settings.get('pref.export.dir')).toBe(dir);
    const plan = await api['export.plan']({ taskId });
    expect(plan).toMatchObject({ format: 'wav16', sampleRate: 48000, folder: join(dir, 'Night Drive') });
    expect(plan.files.map((f) => f.name)).toContain('Night Drive.rpp');
  });

  it('reports progress up to done', async () => {
    const result = await run({ exportId: 'abc', mixdown: 'unity' });
    expect(result.exportId).toBe('abc');
    expect(events.every((e) => e.exportId === 'abc' && e.taskId === taskId)).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'done', done: FRAMES * 4, total: FRAMES * 4 });
    const dones = events.map((e) => e.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('leaves nothing behind when a stem cannot be read', async () => {
    await rm(temp.store.tracks.get(ids[2] as string)?.pcm_path ?? '');
    await expect(run({ sessions: ['rpp'] })).rejects.toMatchObject({ code: 'io' });
    expect(await readdir(out)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ phase: 'failed' });
  });

  /** Every file in the folder with its bytes, hidden ones included. */
  async function snapshot(folder: string): Promise<Map<string, Buffer>> {
    const names = (await readdir(folder)).sort();
    return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(folder, n))] as const)));
  }

  it('keeps the previous export byte-identical when an overwrite loses a PCM cache mid-set', async () => {
    await run({ sessions: ['rpp'], mixdown: 'unity' });
    const before = await snapshot(out);
    await rm(temp.store.tracks.get(ids[2] as string)?.pcm_path ?? '');
    await expect(
      run({ sessions: ['rpp'], mixdown: 'unity', format: 'wav16', onConflict: 'overwrite' }),
    ).rejects.toMatchObject({ code: 'io' });
    expect(await snapshot(out)).toEqual(before);
  });

  it('keeps the previous export byte-identical when the disk fills up mid-set (ENOSPC)', async () => {
    await run({ mixdown: 'unity' });
    const before = await snapshot(out);
    // /dev/full answers every write with a real ENOSPC: the mixdown (the last WAV of the set) is
    // pointed at it through its staging file the moment its phase starts.
    bus.on('export.progress', (payload) => {
      if (payload.phase !== 'mixdown') return;
      const staging = readdirSync(out).find((n) => n.startsWith('.stemhook-export-'));
      if (staging) symlinkSync('/dev/full', join(out, staging, 'Night Drive_Mix.wav.part'));
    });
    await expect(run({ mixdown: 'unity', onConflict: 'overwrite' })).rejects.toMatchObject({
      code: 'io',
      message: expect.stringMatching(/disk is full/i) as unknown,
    });
    expect(await snapshot(out)).toEqual(before);
  });

  it('cleans a staging folder a killed export left behind on the next export', async () => {
    await run();
    const before = await snapshot(out);
    const stale = join(out, '.stemhook-export-4194304-old');
    await mkdir(stale);
    await writeFile(join(stale, 'Night Drive_Vocals.wav.part'), 'half a file');
    await run({ onConflict: 'suffix' });
    expect((await readdir(out)).filter((n) => n.startsWith('.'))).toEqual([]);
    for (const [name, bytes] of before) expect(await readFile(join(out, name))).toEqual(bytes);
  });

  it('refuses folders it cannot use, quickly and with the reason', async () => {
    await expect(run({ outDir: '' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(run({ outDir: '/proc/stemhook-x' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/\/proc\/stemhook-x/) as unknown,
    });
    await expect(api['export.plan']({ taskId, outDir: '/proc/stemhook-x' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await writeFile(join(dir, 'a-file'), 'x');
    await expect(run({ outDir: join(dir, 'a-file', 'sub') })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/is a file, not a folder/) as unknown,
    });
    temp.store.settings.set('pref.export.dir', 'relative/dir');
    await expect(api['export.run']({ taskId })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/relative\/dir/) as unknown,
    });
  });

  it('refuses relative folders and unknown options', async () => {
    await expect(run({ outDir: 'relative/dir' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(run({ format: 'mp3' as never })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(run({ rate: 22050 as never })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(run({ trackIds: 'all' as never })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(run({ mix: [{ gainDb: 3 }] as never })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(api['export.run']({} as never)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(api['export.run']({ taskId: 'missing', outDir: out })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('names files safely from a hostile title', async () => {
    withRawConnection(storeFileIn(temp.dir), (db) =>
      db.prepare('UPDATE tasks SET title = ? WHERE id = ?').run('../../CON: 🔥 "x"', taskId),
    );
    const result = await run({ sessions: ['rpp'] });
    expect(result.files.map((f) => f.name)).toEqual([
      "CON- 🔥 'x'_Vocals.wav",
      "CON- 🔥 'x'_Drums.wav",
      "CON- 🔥 'x'_Bass.wav",
      "CON- 🔥 'x'.rpp",
      'provenance.json',
    ]);
    expect(result.files.every((f) => f.path.startsWith(`${out}/`))).toBe(true);
  });
});

describe('residual', () => {
  // The residual itself is computed from real PCM caches in test/integration/split-audio.test.ts; here a
  // residual cache is written as the job writes it, and the export is given it the way the host does.
  it('is exported like a stem and sits, muted, last in both sessions and in provenance with its alignment', async () => {
    const residual: Lane = { stem: 'fx', frames: RATE * 2, channels: 2, freq: 330, amplitude: 0.01 };
    const pcmPath = join(dir, 'residual.pcm');
    await writeFile(pcmPath, s24le(cacheValues(residual)));
    const withResidual = createExportHandlers({
      store: temp.store,
      events: bus,
      dataDir: join(dir, 'data'),
      defaultDir: join(dir, 'default'),
      isPrerenderEnabled: false,
      residual: async (id) => {
        expect(id).toBe(taskId);
        return {
          pcmPath,
          channels: 2,
          sampleRate: RATE,
          sampleCount: residual.frames,
          offsetFrames: 1105,
          levelDb: -31.04,
          sourceResampledFrom: 48000,
        };
      },
    });
    await withResidual['export.run']({
      taskId,
      outDir: out,
      sessions: ['dawproject', 'rpp'],
      includeResidual: true,
    });
    const wav = await readWavFile(join(out, 'Night Drive_Residual.wav'));
    expect(wav.frames).toBe(FRAMES);
    const expected = cacheValues(residual);
    expect(wav.samples.subarray(0, expected.length).every((v, k) => v === expected[k])).toBe(true);
    expect(wav.samples.subarray(expected.length).every((v) => v === 0)).toBe(true);

    const rpp = await readFile(join(out, 'Night Drive.rpp'), 'utf8');
    const tracks = rpp.split('<TRACK').slice(1);
    expect(tracks).toHaveLength(4);
    const last = tracks[3] ?? '';
    expect(last).toContain('NAME "Residual (source − all stems)"');
    expect(last).toContain('FILE "Night Drive_Residual.wav"');
    expect(last).toContain('MUTESOLO 1 0 0');
    expect(tracks.slice(0, 3).every((t) => t.includes('MUTESOLO 0 0 0'))).toBe(true);

    const project = strFromU8(
      unzipSync(await readFile(join(out, 'Night Drive.dawproject')))['project.xml'] as Uint8Array,
    );
    expect(project).toContain('<File path="Night Drive_Residual.wav" external="true"/>');
    expect(project.indexOf('Night Drive_Residual.wav')).toBeGreaterThan(
      project.indexOf('Night Drive_Bass.wav'),
    );
    if (hasXmllint) expect(validateDawXml(project).status).toBe(0);
    const residualTrack = /<Track [^>]*name="Residual \(source − all stems\)"[^>]*>[\s\S]*?<\/Track>/.exec(
      project,
    )?.[0];
    expect(residualTrack).toMatch(/<Mute [^>]*value="true"/);

    const provenance = JSON.parse(await readFile(join(out, 'provenance.json'), 'utf8')) as {
      residual: Record<string, unknown> | null;
    };
    expect(provenance.residual).toMatchObject({
      name: 'Night Drive_Residual.wav',
      alignmentOffsetFrames: 1105,
      alignmentOffsetMs: 25.1,
      derivedFrom: expect.stringContaining('resampled from 48000 Hz to 44100 Hz') as unknown,
      levelDbRelativeToSource: -31,
      sampleCount: FRAMES,
      mix: { isMuted: true },
    });
  });
});

describe('lossless takes', () => {
  it('uses the downloaded WAV conversion of a take instead of its MP3, unless told not to', async () => {
    const music = insertTestTask(temp.store, { kind: 'add-vocals', title: 'Lossless', params: '{}' });
    const mp3Take = await addLane(temp.store, dir, music.id, {
      stem: 'take',
      key: 'a1',
      audioId: 'a1',
      frames: 1000,
      channels: 2,
      freq: 300,
      amplitude: 0.3,
    });
    const wavTask = insertTestTask(temp.store, {
      kind: 'wav',
      title: 'Lossless',
      parent_task_id: music.id,
      parent_audio_id: 'a1',
      params: JSON.stringify({ taskId: music.kie_task_id, audioId: 'a1' }),
    });
    const wavLane: Lane = {
      stem: 'take',
      key: 'wav',
      audioId: 'a1',
      frames: 1003,
      channels: 2,
      freq: 300,
      amplitude: 0.25,
    };
    const wavTrack = await addLane(temp.store, dir, wavTask.id, wavLane);
    const lossless = await api['export.run']({ taskId: music.id, outDir: join(dir, 'lossless') });
    expect(lossless.files[0]).toMatchObject({
      trackId: mp3Take,
      decodedFrom: 'wav',
      sampleCount: 1003,
      name: 'Lossless_Take.wav',
    });
    const wav = await readWavFile(lossless.files[0]?.path ?? '');
    expect(Array.from(wav.samples)).toEqual(Array.from(cacheValues(wavLane)));
    const provenance = JSON.parse(await readFile(join(dir, 'lossless', 'provenance.json'), 'utf8')) as {
      files: Array<Record<string, unknown>>;
    };
    expect(provenance.files[0]).toMatchObject({ decodedFrom: 'wav', losslessTrackId: wavTrack });
    const mp3 = await api['export.run']({ taskId: music.id, outDir: join(dir, 'mp3'), source: 'mp3' });
    expect(mp3.files[0]).toMatchObject({ decodedFrom: 'mp3', sampleCount: 1000 });
  });
});

describe('drag-out cache', () => {
  it('renders named, aligned 24-bit WAVs once and serves them again from the cache', async () => {
    const { files } = await api['export.prepareDrag']({ trackIds: [ids[2] as string, ids[0] as string] });
    expect(files.map((f) => f.name)).toEqual(['Night Drive_Bass.wav', 'Night Drive_Vocals.wav']);
    for (const file of files) {
      expect(file.path.startsWith(join(dir, 'data', 'drag-cache'))).toBe(true);
      const wav = await readWavFile(file.path);
      expect(wav).toMatchObject({ bitsPerSample: 24, frames: FRAMES, sampleRate: RATE });
      expect(file.sampleCount).toBe(FRAMES);
    }
    const bass = await readWavFile(files[0]?.path ?? '');
    const expected = cacheValues(LANES[2] as Lane);
    expect(bass.samples.subarray(0, expected.length).every((v, i) => v === expected[i])).toBe(true);
    await writeFile(files[0]?.path ?? '', 'marker: not re-rendered');
    const again = await api['export.prepareDrag']({ trackIds: [ids[2] as string] });
    expect(again.files[0]?.path).toBe(files[0]?.path);
    expect(await readFile(files[0]?.path ?? '', 'utf8')).toBe('marker: not re-rendered');
    await expect(api['export.prepareDrag']({ trackIds: ['../../etc'] })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(api['export.prepareDrag']({ trackIds: [] })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
