// Tempo/key columns of the tracks table on a real temp-file store: a correction is kept beside the
// detection (never overwrites it), null removes it, a new ingest forgets the old detection but not
// the producer's correction, and a failed analysis leaves the track out of the queue.
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/core/store/index.ts';
import { READY_AUDIO, insertReadyTrack } from '../helpers/ready-track.ts';
import { createTempStore, type TempStore } from '../helpers/temp-store.ts';

let temp: TempStore | null = null;
afterEach(() => {
  temp?.cleanup();
  temp = null;
});

const viewOf = (store: Store, taskId: string) => store.tracks.viewsOf(taskId)[0];

describe('track analysis in the store', () => {
  it('keeps a correction beside the detection and lets the producer remove it', () => {
    temp = createTempStore();
    const { store } = temp;
    const { taskId, trackId } = insertReadyTrack(store);
    expect(viewOf(store, taskId)).toMatchObject({ analysis: 'pending', tempo: null, key: null });
    expect(store.tracks.awaitingAnalysis(5).map((t) => t.id)).toEqual([trackId]);

    store.tracks.setAnalysis(
      trackId,
      {
        tempo: { bpm: 120.02, confidence: 0.9, firstBeatSec: 0.25 },
        key: { tonic: 9, mode: 'minor', confidence: 0.7 },
      },
      3,
    );
    expect(store.tracks.awaitingAnalysis(5)).toEqual([]);
    store.tracks.setCorrection(trackId, { bpm: 60 }, 4);
    expect(viewOf(store, taskId)).toMatchObject({
      analysis: 'done',
      tempo: { bpm: 60, detectedBpm: 120.02, confidence: 0.9, firstBeatSec: 0.25, isCorrected: true },
      key: {
        tonic: 9,
        mode: 'minor',
        name: 'A minor',
        detected: { tonic: 9, mode: 'minor' },
        isCorrected: false,
      },
    });

    store.tracks.setCorrection(trackId, { key: { tonic: 0, mode: 'major' } }, 5);
    expect(viewOf(store, taskId)?.tempo?.bpm).toBe(60);
    expect(viewOf(store, taskId)?.key).toMatchObject({ name: 'C major', isCorrected: true, confidence: 0.7 });

    store.tracks.setCorrection(trackId, { bpm: null, key: null }, 6);
    expect(viewOf(store, taskId)).toMatchObject({
      tempo: { bpm: 120.02, isCorrected: false },
      key: { name: 'A minor', isCorrected: false },
    });
  });

  it('forgets the detection on a new ingest but keeps the correction', () => {
    temp = createTempStore();
    const { store } = temp;
    const { taskId, trackId } = insertReadyTrack(store);
    store.tracks.setAnalysis(
      trackId,
      { tempo: { bpm: 100, confidence: 0.8, firstBeatSec: 0 }, key: null },
      3,
    );
    store.tracks.setCorrection(trackId, { bpm: 98 }, 4);
    store.tracks.setIngested(trackId, READY_AUDIO, 5);
    expect(viewOf(store, taskId)).toMatchObject({
      analysis: 'pending',
      tempo: { bpm: 98, detectedBpm: null, confidence: null, isCorrected: true },
      key: null,
    });
    expect(store.tracks.awaitingAnalysis(5).map((t) => t.id)).toEqual([trackId]);
  });

  it('a failed analysis is recorded once and not retried', () => {
    temp = createTempStore();
    const { store } = temp;
    const { taskId, trackId } = insertReadyTrack(store);
    store.tracks.setAnalysisFailed(trackId, 'Tempo and key could not be analysed: unreadable', 3);
    expect(viewOf(store, taskId)).toMatchObject({ analysis: 'failed', tempo: null, key: null });
    expect(store.tracks.get(trackId)?.analysis_error).toBe('Tempo and key could not be analysed: unreadable');
    expect(store.tracks.awaitingAnalysis(5)).toEqual([]);
  });
});
