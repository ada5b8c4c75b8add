// The lyrics fetcher's sweep on a real temp-file store: every waiting take is asked once, however many
// there are; an answer that never came is not stored and is asked again once its delay has passed.
// KIE is a stub here: the simulator allows 20 task creations per 10 s, and this needs 60 takes.
import { afterEach, describe, expect, it } from 'vitest';
import { KieError } from '../../electron/core/kie/index.ts';
import { createLyricsFetcher } from '../../electron/core/pipeline/lyrics-fetcher.ts';
import type { Store } from '../../electron/core/store/index.ts';
import { createTempStore, insertTestTask, type TempStore } from '../helpers/temp-store.ts';

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

function completedTakes(store: Store, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const task = insertTestTask(store, { kind: 'add-vocals', created_at: i });
    const audioId = `audio-${i}`;
    const track = {
      key: audioId,
      audioId,
      stem: 'take' as const,
      title: null,
      url: null,
      streamUrl: null,
      imageUrl: null,
      durationSec: 10,
      tags: null,
      prompt: null,
      modelName: null,
    };
    const { trackId } = store.tracks.merge(task.id, track, true, 'callback', 1);
    store.tasks.setState(task.id, 'complete', 2, null);
    return trackId;
  });
}

const WORDS = { alignedWords: [{ word: '[Verse]\nHello ', success: true, startS: 1, endS: 2 }] };

describe('lyrics fetcher', () => {
  it('asks for every waiting take once, beyond one batch', async () => {
    const temp = createTempStore();
    temps.push(temp);
    const ids = completedTakes(temp.store, 60);
    const asked: string[] = [];
    const fetcher = createLyricsFetcher({
      store: temp.store,
      kie: { timestampedLyrics: async ({ audioId }) => (asked.push(audioId), WORDS) },
      onChange: () => undefined,
      log: () => undefined,
    });
    fetcher.kick();
    await fetcher.idle();
    expect(asked).toHaveLength(60);
    expect(new Set(asked).size).toBe(60);
    expect(ids.every((id) => temp.store.lyrics.summaryOf(id).state === 'found')).toBe(true);
    fetcher.kick();
    await fetcher.idle();
    expect(asked).toHaveLength(60);
    fetcher.stop();
  });

  it('keeps a take waiting when KIE could not be reached, and asks again after the delay', async () => {
    const temp = createTempStore();
    temps.push(temp);
    const [id = ''] = completedTakes(temp.store, 1);
    let clock = 1_000;
    let isOnline = false;
    const logs: string[] = [];
    const fetcher = createLyricsFetcher({
      store: temp.store,
      kie: {
        timestampedLyrics: async () => {
          if (!isOnline) throw new KieError({ code: 'network', kieMessage: 'ECONNREFUSED' });
          return WORDS;
        },
      },
      onChange: () => undefined,
      log: (line) => logs.push(line),
      retryFirstMs: 60_000,
      now: () => clock,
    });
    fetcher.kick();
    await fetcher.idle();
    expect(temp.store.lyrics.summaryOf(id).state).toBe('pending');
    expect(logs.join('\n')).toMatch(/network; asking again in 60 s/);
    isOnline = true;
    fetcher.kick();
    await fetcher.idle();
    expect(temp.store.lyrics.summaryOf(id).state).toBe('pending');
    clock += 60_000;
    fetcher.kick();
    await fetcher.idle();
    expect(temp.store.lyrics.summaryOf(id).state).toBe('found');
    fetcher.stop();
  });
});
