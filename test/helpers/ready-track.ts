// A task with one take that is downloaded and decoded (state 'ready'), for store and analysis tests
// that need an ingested track without running a download.
import type { IngestedAudio, Store } from '../../electron/core/store/index.ts';
import { insertTestTask } from './temp-store.ts';

export const READY_AUDIO: IngestedAudio = {
  localPath: '/lib/a.mp3',
  pcmPath: '/lib/a.pcm',
  peaksPath: '/lib/a.peaks',
  sampleRate: 44100,
  channels: 2,
  sampleCount: 441000,
  durationSec: 10,
  peakDb: -1,
  rmsDb: -14,
  isNearSilent: false,
};

export function insertReadyTrack(
  store: Store,
  audio: Partial<IngestedAudio> = {},
): { taskId: string; trackId: string } {
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
  store.tracks.setIngested(trackId, { ...READY_AUDIO, ...audio }, 2);
  return { taskId: task.id, trackId };
}
