// Task views carry each unfinished track's download state (queued with its place in line,
// downloading with bytes, decoding once every byte is in), read from real store rows.
import { afterEach, describe, expect, it } from 'vitest';
import { withDownloads } from '../../electron/core/host/track-downloads.ts';
import { createTempStore, insertTestTask, type TempStore } from '../helpers/temp-store.ts';

let temp: TempStore | undefined;
afterEach(() => temp?.cleanup());

describe('track downloads in task views', () => {
  it('says queued (place of waiting), downloading, decoding, and nothing once ready', () => {
    temp = createTempStore();
    const { store } = temp;
    const at = Date.now();
    const taskId = insertTestTask(store, { kind: 'split_stem' }).id;
    const ids = ['vocals', 'drums', 'bass', 'guitar'].map((stem) => {
      const announced = {
        key: stem,
        audioId: null,
        stem: stem as 'vocals',
        title: null,
        url: `https://cdn.example/${stem}.mp3`,
        streamUrl: null,
        imageUrl: null,
        durationSec: 10,
        tags: null,
        prompt: null,
        modelName: null,
      };
      const { trackId } = store.tracks.merge(taskId, announced, true, 'record-info', at);
      store.downloads.enqueue(trackId, announced.url, at);
      return trackId;
    });
    const [vocals, drums, bass, guitar] = ids.map((id) => store.downloads.forTrack(id ?? '')!);
    store.downloads.claim(vocals!.id, at);
    store.downloads.progress(vocals!.id, 45, 100);
    store.downloads.claim(drums!.id, at);
    store.downloads.progress(drums!.id, 100, 100);

    const [view] = withDownloads([store.tasks.view(taskId)!], store.downloads.active());
    const byId = new Map(view!.tracks.map((t) => [t.id, t.download]));
    expect(byId.get(vocals!.track_id)).toMatchObject({
      phase: 'downloading',
      bytesDone: 45,
      bytesTotal: 100,
    });
    expect(byId.get(drums!.track_id)?.phase).toBe('decoding');
    expect(byId.get(bass!.track_id)).toMatchObject({ phase: 'queued', place: 1, waiting: 2 });
    expect(byId.get(guitar!.track_id)).toMatchObject({ phase: 'queued', place: 2, waiting: 2 });
    expect(withDownloads([store.tasks.view(taskId)!], [])[0]?.tracks[0]?.download).toBeUndefined();
  });
});
