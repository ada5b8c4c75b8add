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
import { labelledClips, type LabelledClip } from '../helpers/analysis-clips.ts';
import { READY_AUDIO, insertReadyTrack } from '../helpers/ready-track.ts';
import { createTempStore, type TempStore } from '../helpers/temp-store.ts';

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

/** A ready track whose PCM cache holds a labelled clip, and a queue over the real analysis worker. */
function queueWithClip(seconds: number) {
  const store = (temp = createTempStore()).store;
  const worker = (analyser = createAnalyser());
  const [clip] = labelledClips(1, seconds) as [LabelledClip];
  const pcmPath = join(temp.dir, 'clip.pcm');
  const { trackId } = insertReadyTrack(store, { pcmPath, channels: 1, sampleCount: writePcm(pcmPath, clip) });
  const changed: string[] = [];
  const queue = createAnalysisQueue({
    store,
    analyse: (i) => worker.analyse(i),
    onChange: (t) => changed.push(t.trackId),
  });
  return { store, worker, clip, pcmPath, trackId, changed, queue };
}

describe('analysis queue', () => {
  it('analyses each ingested track once from its PCM cache, off the main thread', async () => {
    const { store, clip, pcmPath, trackId, changed, queue } = queueWithClip(10);
    queue.start();
    await queue.idle();
    const row = store.tracks.get(trackId);
    expect(row?.analysis_state).toBe('done');
    expect(Math.abs((row?.tempo_bpm ?? 0) - clip.bpm)).toBeLessThanOrEqual(1);
    expect([row?.key_tonic, row?.key_mode]).toEqual([clip.tonic, clip.mode]);
    expect(changed).toEqual([trackId]);

    // Nothing is analysed twice; new audio for the track is.
    queue.kick();
    await queue.idle();
    expect(changed).toEqual([trackId]);
    store.tracks.setIngested(trackId, { ...READY_AUDIO, pcmPath, channels: 1 }, 3);
    expect(store.tracks.get(trackId)?.tempo_bpm).toBeNull();
    queue.kick();
    await queue.idle();
    expect(changed).toEqual([trackId, trackId]);
    await queue.stop();
  });

  it('records a failure in plain words when the cache cannot be read, and moves on', async () => {
    temp = createTempStore();
    analyser = createAnalyser();
    const trackId = insertReadyTrack(temp.store, { pcmPath: join(temp.dir, 'gone.pcm') }).trackId;
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

  it('leaves a track queued when the host stops in the middle of its analysis', async () => {
    const { store, worker, trackId, changed, queue } = queueWithClip(60);
    queue.start();
    // The close order of the core: the queue stops taking work, then the worker is terminated.
    await queue.stop();
    await worker.close();
    await queue.idle();
    expect(store.tracks.get(trackId)?.analysis_state).toBeNull();
    expect(store.tracks.awaitingAnalysis(5).map((t) => t.id)).toEqual([trackId]);
    expect(changed).toEqual([]);
  });

  it('records a near-silent stem as having no tempo or key without analysing it', async () => {
    temp = createTempStore();
    analyser = createAnalyser();
    // The cache file does not exist: reading it would fail the analysis.
    const { taskId, trackId } = insertReadyTrack(temp.store, {
      pcmPath: join(temp.dir, 'absent.pcm'),
      isNearSilent: true,
    });
    const queue = createAnalysisQueue({
      store: temp.store,
      analyse: (i) => (analyser as Analyser).analyse(i),
    });
    queue.start();
    await queue.idle();
    expect(temp.store.tracks.get(trackId)?.analysis_state).toBe('done');
    expect(temp.store.tracks.viewsOf(taskId)[0]).toMatchObject({ analysis: 'done', tempo: null, key: null });
    await queue.stop();
  });
});
