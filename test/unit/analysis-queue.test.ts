// The analysis queue on a real temp-file store with the real analysis worker: a decoded track is
// analysed once from its PCM cache file (s24le, written here from a labelled clip), a missing or
// unreadable cache ends in a plain 'failed' state instead of a retry loop, and a new ingest of the
// same track forgets the old result so the new audio is analysed again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyser, type Analyser } from '../../electron/core/analysis/index.ts';
import { encodeS24le, quantizeS24 } from '../../electron/core/audio/pcm-cache.ts';
import { createAnalysisQueue } from '../../electron/core/pipeline/analysis-queue.ts';
import type { Store } from '../../electron/core/store/index.ts';
import { labelledClips, type LabelledClip } from '../helpers/analysis-clips.ts';
import { createTempStore, insertTestTask, type TempStore } from '../helpers/temp-store.ts';

let temp: TempStore | null = null;
let analyser: Analyser | null = null;
afterEach(async () => {
  await analyser?.close();
  temp?.cleanup();
  [temp, analyser] = [null, null];
});

function writePcm(path: string, clip: LabelledClip): number {
  const mono = clip.channels[0] as Float32Array;
  const samples = Int32Array.from(mono, (v) => quantizeS24(v));
  const bytes = new Uint8Array(samples.length * 3);
  encodeS24le(samples, samples.length, bytes);
  writeFileSync(path, bytes);
  return samples.length;
}

function ingestedTrack(store: Store, dir: string, pcmPath: string, frames: number): string {
  const task = insertTestTask(store);
  const { trackId } = store.tracks.merge(
    task.id,
    {
      key: 'a',
      audioId: 'a',
      stem: 'take',
      title: null,
      url: 'https://file.example/a.mp3',
      streamUrl: null,
      imageUrl: null,
      durationSec: null,
      tags: null,
      prompt: null,
      modelName: null,
    },
    true,
    'record-info',
    1,
  );
  store.tracks.setIngested(
    trackId,
    {
      localPath: join(dir, 'a.mp3'),
      pcmPath,
      peaksPath: join(dir, 'a.peaks'),
      sampleRate: 44100,
      channels: 1,
      sampleCount: frames,
      durationSec: frames / 44100,
      peakDb: -1,
      rmsDb: -12,
      isNearSilent: false,
    },
    2,
  );
  return trackId;
}

describe('analysis queue', () => {
  it('analyses each ingested track once from its PCM cache, off the main thread', async () => {
    temp = createTempStore();
    analyser = createAnalyser();
    const [clip] = labelledClips(1, 10) as [LabelledClip];
    const pcmPath = join(temp.dir, 'a.pcm');
    const trackId = ingestedTrack(temp.store, temp.dir, pcmPath, writePcm(pcmPath, clip));
    const changed: string[] = [];
    const queue = createAnalysisQueue({
      store: temp.store,
      analyse: (i) => (analyser as Analyser).analyse(i),
      onChange: (t) => changed.push(t.trackId),
    });
    queue.start();
    await queue.idle();
    const row = temp.store.tracks.get(trackId);
    expect(row?.analysis_state).toBe('done');
    expect(Math.abs((row?.tempo_bpm ?? 0) - clip.bpm)).toBeLessThanOrEqual(1);
    expect([row?.key_tonic, row?.key_mode]).toEqual([clip.tonic, clip.mode]);
    expect(changed).toEqual([trackId]);

    // Nothing is analysed twice; new audio for the track is.
    queue.kick();
    await queue.idle();
    expect(changed).toEqual([trackId]);
    temp.store.tracks.setIngested(
      trackId,
      {
        localPath: join(temp.dir, 'a.mp3'),
        pcmPath,
        peaksPath: join(temp.dir, 'a.peaks'),
        sampleRate: 44100,
        channels: 1,
        sampleCount: 1,
        durationSec: 1,
        peakDb: -1,
        rmsDb: -12,
        isNearSilent: false,
      },
      3,
    );
    expect(temp.store.tracks.get(trackId)?.tempo_bpm).toBeNull();
    queue.kick();
    await queue.idle();
    expect(changed).toEqual([trackId, trackId]);
    await queue.stop();
  });

  it('records a failure in plain words when the cache cannot be read, and moves on', async () => {
    temp = createTempStore();
    analyser = createAnalyser();
    const trackId = ingestedTrack(temp.store, temp.dir, join(temp.dir, 'gone.pcm'), 44100);
    const queue = createAnalysisQueue({
      store: temp.store,
      analyse: (i) => (analyser as Analyser).analyse(i),
    });
    queue.start();
    await queue.idle();
    const row = temp.store.tracks.get(trackId);
    expect(row?.analysis_state).toBe('failed');
    expect(row?.analysis_error).toMatch(/^Tempo and key could not be analysed: .*gone\.pcm/);
    expect(temp.store.tracks.awaitingAnalysis(5)).toEqual([]);
    await queue.stop();
  });
});
