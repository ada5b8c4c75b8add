// Export on the real core against the KIE simulator: generate, split, export and read back against
// the PCM cache; KIE's WAV conversion handled like any task (callback or record-info, WAV download,
// WAV ingest) and used as the lossless export source; browser mode's download route.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPcmFrames } from '../../electron/core/audio/index.ts';
import { createExportDownloadRoute } from '../../electron/core/host/export-download-route.ts';
import { startLocalApi } from '../../electron/core/host/local-api.ts';
import type { TaskView } from '../../shared/domain.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { ffprobe, hasFfprobe, parseWav, readWavFile } from '../helpers/wav-reader.ts';

let live: LiveCore | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
});

async function generate(l: LiveCore, isPollingOnly = false): Promise<TaskView> {
  const path = await writeToneMp3(join(l.dataDir, 'vox.mp3'), { seconds: 1 });
  const task = await l.core.handlers['tasks.submit']({
    kind: 'add-instrumental',
    source: { path },
    title: 'Harbor Lights',
    tags: 'indie folk, 84 bpm',
    negativeTags: 'edm',
  });
  // Without callbacks the first poll would wait for the default schedule.
  if (isPollingOnly) l.core.reconciler.pollSoon(task.id);
  return l.waitFor(task.id, isSettled);
}

async function convertToWav(l: LiveCore, music: TaskView, isPollingOnly = false): Promise<TaskView> {
  const take = music.tracks[0];
  const wav = await l.core.handlers['tasks.submit']({
    kind: 'wav',
    from: { taskId: music.id, audioId: take?.audioId ?? '' },
  });
  expect(wav).toMatchObject({
    kind: 'wav',
    parentTaskId: music.id,
    parentAudioId: take?.audioId,
    title: 'Harbor Lights',
  });
  if (isPollingOnly) l.core.reconciler.pollSoon(wav.id);
  return l.waitFor(wav.id, isSettled);
}

/** The WAV file KIE sent, as stored, must be exactly what the PCM cache now holds (x256). */
async function expectCacheMatchesWav(l: LiveCore, done: TaskView): Promise<void> {
  expect(done.state).toBe('complete');
  const track = done.tracks[0];
  expect(track).toMatchObject({ state: 'ready', stem: 'take' });
  expect(track?.localPath?.endsWith('.wav')).toBe(true);
  const original = parseWav(await readFile(track?.localPath ?? ''));
  const row = l.core.store.tracks.get(track?.id ?? '');
  expect(row).toMatchObject({
    sample_count: original.frames,
    sample_rate: original.sampleRate,
    channels: original.channels,
  });
  const pcm = await readPcmFrames(row?.pcm_path ?? '', original.channels, 0, original.frames);
  expect(pcm.length).toBe(original.samples.length);
  expect(pcm.every((v, i) => v === (original.samples[i] ?? 0) * 256)).toBe(true);
}

describe('export on the live core', () => {
  it('exports a split into aligned WAVs equal to the PCM cache, with sessions and a mixdown', async () => {
    live = await startLiveCore();
    const music = await generate(live);
    // The take's lyrics come with the split's export (.lrc), so wait until KIE answered for them.
    await live.waitFor(music.id, (t) => t.tracks.every((take) => take.lyrics?.state === 'found'));
    const split = await live.core.handlers['tasks.submit']({
      kind: 'separate_vocal',
      from: { taskId: music.id, audioId: music.tracks[0]?.audioId ?? '' },
    });
    const stems = await live.waitFor(split.id, isSettled);
    const outDir = join(live.dataDir, 'export');
    const result = await live.core.handlers['export.run']({
      taskId: stems.id,
      outDir,
      sessions: ['dawproject', 'rpp'],
      mixdown: 'unity',
    });
    expect(result.files.map((f) => f.name).sort()).toEqual([
      'Harbor Lights.dawproject',
      'Harbor Lights.lrc',
      'Harbor Lights.rpp',
      'Harbor Lights_Instrumental.wav',
      'Harbor Lights_Mix.wav',
      'Harbor Lights_Vocals.wav',
      'provenance.json',
    ]);
    const counts = new Set<number>();
    for (const file of result.files.filter((f) => f.kind === 'stem')) {
      const row = live.core.store.tracks.get(file.trackId ?? '');
      const wav = await readWavFile(file.path);
      counts.add(wav.frames);
      const cache = await readPcmFrames(row?.pcm_path ?? '', row?.channels ?? 2, 0, row?.sample_count ?? 0);
      expect(wav.samples.subarray(0, cache.length).every((v, i) => v === cache[i])).toBe(true);
      expect(wav.samples.subarray(cache.length).every((v) => v === 0)).toBe(true);
      if (hasFfprobe)
        expect(ffprobe(file.path)).toMatchObject({ codec: 'pcm_s24le', frames: result.sampleCount });
    }
    counts.add((await readWavFile(join(outDir, 'Harbor Lights_Mix.wav'))).frames);
    expect([...counts]).toEqual([result.sampleCount]);
    const provenance = JSON.parse(await readFile(join(outDir, 'provenance.json'), 'utf8')) as {
      files: Array<{ kieResultUrl: string }>;
    };
    expect(provenance).toMatchObject({
      source: { fileName: 'vox.mp3', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      task: { id: stems.id, kieTaskId: stems.kieTaskId },
      summary: { tempoBpm: 84 },
    });
    expect(provenance.files.every((f) => f.kieResultUrl.startsWith('http://127.0.0.1:'))).toBe(true);
  });

  it('converts a take to WAV via callbacks, ingests the WAV and exports it as the lossless source', async () => {
    live = await startLiveCore();
    const music = await generate(live);
    const done = await convertToWav(live, music);
    await expectCacheMatchesWav(live, done);
    const callbacks = live.core.store.callbacks.list({ taskId: done.id });
    expect(callbacks.some((c) => c.verdict === 'valid')).toBe(true);
    const result = await live.core.handlers['export.run']({
      taskId: music.id,
      outDir: join(live.dataDir, 'lossless'),
      trackIds: [music.tracks[0]?.id ?? ''],
    });
    const wavRow = live.core.store.tracks.get(done.tracks[0]?.id ?? '');
    expect(result.files[0]).toMatchObject({
      decodedFrom: 'wav',
      trackId: music.tracks[0]?.id,
      sampleCount: wavRow?.sample_count,
    });
    const exported = await readWavFile(result.files[0]?.path ?? '');
    const cache = await readPcmFrames(wavRow?.pcm_path ?? '', 2, 0, wavRow?.sample_count ?? 0);
    expect(exported.samples.every((v, i) => v === cache[i])).toBe(true);
  });

  it('completes a WAV conversion by polling record-info when no callback can arrive', async () => {
    live = await startLiveCore({}, { callbacks: false });
    const music = await generate(live, true);
    const done = await convertToWav(live, music, true);
    await expectCacheMatchesWav(live, done);
    expect(done.stages.find((s) => s.name === 'complete')?.source).toBe('record-info');
    expect(live.core.store.tracks.rowsOf(done.id)[0]?.audio_id).toBe(music.tracks[0]?.audioId);
  });

  it('pre-renders drag files once downloads finish, and serves a lane as a download in browser mode', async () => {
    live = await startLiveCore();
    const music = await generate(live);
    // Rendered ahead of time: the cache entries appear without anyone asking for them.
    const keys = music.tracks.map((t) => join(live?.dataDir ?? '', 'drag-cache', t.id, 'key.json'));
    for (let i = 0; i < 200 && !keys.every((k) => existsSync(k)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(keys.every((k) => existsSync(k))).toBe(true);
    const api = await startLocalApi({
      handlers: live.core.handlers,
      events: live.core.events,
      token: 'test-token-0123456789',
      rendererDir: null,
      stageFile: async () => ({ fileId: 'x', name: 'x', size: 0 }),
      routes: [createExportDownloadRoute(live.core.handlers)],
    });
    try {
      const track = music.tracks[1];
      const url = `${api.apiUrl}/exports/tracks/${track?.id}.wav`;
      const res = await fetch(url, { headers: { authorization: 'Bearer test-token-0123456789' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(res.headers.get('content-disposition')).toContain(
        "filename*=UTF-8''Harbor%20Lights_Take%202.wav",
      );
      const body = Buffer.from(await res.arrayBuffer());
      const { files } = await live.core.handlers['export.prepareDrag']({ trackIds: [track?.id ?? ''] });
      expect(body.equals(await readFile(files[0]?.path ?? ''))).toBe(true);
      expect(parseWav(body).frames).toBe(files[0]?.sampleCount);
      expect((await fetch(url)).status).toBe(401);
      const missing = await fetch(`${api.apiUrl}/exports/tracks/00000000-0000-0000-0000-000000000000.wav`, {
        headers: { authorization: 'Bearer test-token-0123456789' },
      });
      expect(missing.status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
