// Tempo and key on the real core against the KIE simulator over real HTTP: a generated take is
// downloaded, decoded to the PCM cache and analysed once in the analysis worker; the result matches
// the tempo and key the simulator synthesised, survives a restart without being analysed again,
// and a producer's correction wins in the views, a split's export session and provenance.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskView } from '../../shared/domain.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

let live: LiveCore | null = null;
let dataDir: string | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

const isAnalysed = (task: TaskView): boolean =>
  isSettled(task) &&
  task.tracks.every((t) => t.state !== 'ready' || (t.analysis !== null && t.analysis !== 'pending'));

async function generateTake(l: LiveCore): Promise<TaskView> {
  const path = await writeToneMp3(join(l.dataDir, 'vox.mp3'), { seconds: 1 });
  const task = await l.core.handlers['tasks.submit']({
    kind: 'add-instrumental',
    source: { path },
    title: 'Night Drive',
    tags: 'synthwave, 84 bpm',
    negativeTags: '',
  });
  return l.waitFor(task.id, isAnalysed, 90_000);
}

describe('tempo and key analysis on the live core', () => {
  it('analyses a take once at ingest and matches what the simulator synthesised', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stemhook-analysis-'));
    live = await startLiveCore({ audioDurationSec: 20 }, { dataDir });
    const music = await generateTake(live);
    for (const track of music.tracks) {
      const facts = live.sim.control.songOf(track.audioId ?? '');
      expect(facts, 'the simulator knows the song').not.toBeNull();
      expect(track.analysis).toBe('done');
      expect(Math.abs((track.tempo?.bpm ?? 0) - (facts?.bpm ?? 0))).toBeLessThanOrEqual(1);
      expect(track.tempo).toMatchObject({ isCorrected: false, confidence: expect.any(Number) });
      expect(track.key).toMatchObject({ tonic: facts?.tonic, mode: facts?.mode, isCorrected: false });
    }
    const before = live.core.store.tracks.get(music.tracks[0]?.id ?? '');

    // A restart finds nothing left to analyse: the stored result is kept as it was.
    await live.close();
    live = await startLiveCore({ audioDurationSec: 20 }, { dataDir });
    await live.core.analysis.idle();
    expect(live.core.store.tracks.awaitingAnalysis(10)).toEqual([]);
    expect(live.core.store.tracks.get(music.tracks[0]?.id ?? '')).toEqual(before);
  }, 180_000);

  it("lets the producer correct tempo and key, and the correction wins in a split's export", async () => {
    live = await startLiveCore({ audioDurationSec: 8 });
    const music = await generateTake(live);
    const take = music.tracks[0];
    const corrected = await live.core.handlers['tracks.setAnalysis']({
      trackId: take?.id ?? '',
      bpm: 91.5,
      key: { tonic: 9, mode: 'minor' },
    });
    expect(corrected.tempo).toMatchObject({ bpm: 91.5, detectedBpm: take?.tempo?.bpm, isCorrected: true });
    expect(corrected.key).toMatchObject({ tonic: 9, mode: 'minor', name: 'A minor', isCorrected: true });
    await expect(
      live.core.handlers['tracks.setAnalysis']({ trackId: take?.id ?? '', bpm: 5000 }),
    ).rejects.toMatchObject({ code: 'bad_request' });

    const split = await live.core.handlers['tasks.submit']({
      kind: 'separate_vocal',
      from: { taskId: music.id, audioId: take?.audioId ?? '' },
    });
    const stems = await live.waitFor(split.id, isAnalysed, 90_000);
    const outDir = join(live.dataDir, 'export');
    await live.core.handlers['export.run']({ taskId: stems.id, outDir, sessions: ['rpp'] });
    const rpp = await readFile(join(outDir, 'Night Drive.rpp'), 'utf8');
    expect(rpp).toContain('TEMPO 91.5 4 4');
    const provenance = JSON.parse(await readFile(join(outDir, 'provenance.json'), 'utf8')) as unknown;
    expect(provenance).toMatchObject({
      summary: {
        tempoBpm: 91.5,
        tempo: { bpm: 91.5, isCorrected: true },
        key: { name: 'A minor', isCorrected: true },
      },
    });

    // Removing the correction brings the detected tempo back everywhere.
    const reverted = await live.core.handlers['tracks.setAnalysis']({ trackId: take?.id ?? '', bpm: null });
    expect(reverted.tempo).toMatchObject({ bpm: take?.tempo?.bpm, isCorrected: false });
    await live.core.handlers['export.run']({
      taskId: stems.id,
      outDir,
      sessions: ['rpp'],
      onConflict: 'overwrite',
    });
    const tempo = /TEMPO ([\d.]+) 4 4/.exec(await readFile(join(outDir, 'Night Drive.rpp'), 'utf8'))?.[1];
    const facts = live.sim.control.songOf(take?.audioId ?? '');
    expect(Math.abs(Number(tempo) - (facts?.bpm ?? 0))).toBeLessThanOrEqual(1);
  }, 180_000);
});
