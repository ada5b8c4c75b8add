// Take lyrics in the store (real temp-file SQLite): saved once per take and kept across a reopen,
// "none" as a quiet final answer, the takes still waiting, the summary on task views, and the library
// search finding words of the lyrics through the FTS5 index (checked with EXPLAIN QUERY PLAN).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../electron/core/store/index.ts';
import type { AnnouncedTrack } from '../../shared/kie/tracks.ts';
import { analyseLyrics, type AlignedWord } from '../../shared/lyrics.ts';
import { storeFileIn, withRawConnection } from '../helpers/raw-sql.ts';
import { createTempStore, insertTestTask, type TempStore } from '../helpers/temp-store.ts';

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

function take(id: string): AnnouncedTrack {
  return {
    key: id,
    audioId: id,
    stem: 'take',
    title: `Take ${id}`,
    url: `https://file.example/${id}.mp3`,
    streamUrl: null,
    imageUrl: null,
    durationSec: 30,
    tags: null,
    prompt: null,
    modelName: null,
  };
}

const WORDS: AlignedWord[] = [
  { text: '[Verse]\nHarbor ', startSec: 1, endSec: 1.5, isAligned: true },
  { text: 'lights\n', startSec: 1.5, endSec: 2, isAligned: true },
  { text: '[Chorus]\nCarry ', startSec: 10, endSec: 10.4, isAligned: false },
  { text: 'me ', startSec: 10.4, endSec: 11, isAligned: true },
];

let createdAt = 1000;

function completedTake(store: Store, title: string, audioId: string) {
  const task = insertTestTask(store, { title, kind: 'add-vocals', created_at: createdAt++ });
  const { trackId } = store.tracks.merge(task.id, take(audioId), true, 'callback', 10);
  store.tasks.setState(task.id, 'complete', 20, null);
  return { task, trackId };
}

function saveWords(store: Store, taskId: string, trackId: string, words: AlignedWord[]) {
  const { sections } = analyseLyrics(words, 30);
  store.lyrics.save({ taskId, trackId, words, sections, reason: words.length ? null : 'instrumental' }, 50);
}

describe('take lyrics in the store', () => {
  it('lists completed takes without an answer, and drops them once answered (words or none)', () => {
    const temp = createTempStore();
    temps.push(temp);
    const { store } = temp;
    const a = completedTake(store, 'A', 'audio-a');
    const b = completedTake(store, 'B', 'audio-b');
    const running = insertTestTask(store, { kind: 'add-vocals' });
    store.tracks.merge(running.id, take('audio-c'), true, 'callback', 10);
    expect(store.lyrics.missing().map((m) => m.trackId)).toEqual([a.trackId, b.trackId]);
    expect(store.lyrics.missing()[0]).toMatchObject({ kieTaskId: a.task.kie_task_id, audioId: 'audio-a' });

    saveWords(store, a.task.id, a.trackId, WORDS);
    saveWords(store, b.task.id, b.trackId, []);
    expect(store.lyrics.missing()).toEqual([]);
    expect(store.lyrics.summaryOf(b.trackId)).toEqual({ state: 'none', sections: [] });
  });

  it('keeps the words and sections across a reopen and shows the summary on the take only', () => {
    const temp = createTempStore();
    temps.push(temp);
    const { task, trackId } = completedTake(temp.store, 'Harbor', 'audio-a');
    saveWords(temp.store, task.id, trackId, WORDS);
    temp.store.close();
    const reopened = createStore(storeFileIn(temp.dir));
    temp.store = reopened;
    expect(reopened.lyrics.wordsOf(trackId)).toEqual(WORDS);
    const view = reopened.tasks.view(task.id);
    expect(view?.tracks[0]?.lyrics).toEqual({
      state: 'found',
      sections: [
        { name: 'Verse', startSec: 1, endSec: 10 },
        { name: 'Chorus', startSec: 10, endSec: 30 },
      ],
    });
  });

  it('says "pending" for a take KIE has not answered for', () => {
    const temp = createTempStore();
    temps.push(temp);
    const { task } = completedTake(temp.store, 'Harbor', 'audio-a');
    expect(temp.store.tasks.view(task.id)?.tracks[0]?.lyrics).toEqual({ state: 'pending', sections: [] });
  });

  it('library search finds a task by a word of its lyrics (prefix, any case), through the FTS index', () => {
    const temp = createTempStore();
    temps.push(temp);
    const { store } = temp;
    const sung = completedTake(store, 'Untitled one', 'audio-a');
    const other = completedTake(store, 'Untitled two', 'audio-b');
    saveWords(store, sung.task.id, sung.trackId, WORDS);
    saveWords(store, other.task.id, other.trackId, [
      { text: 'nothing ', startSec: 1, endSec: 2, isAligned: true },
    ]);
    expect(store.tasks.list({ search: 'CARR' }).map((t) => t.id)).toEqual([sung.task.id]);
    expect(store.tasks.list({ search: 'harbor lights' }).map((t) => t.id)).toEqual([sung.task.id]);
    expect(store.tasks.list({ search: 'Untitled' })).toHaveLength(2);
    // Quotes and FTS operators in the search are plain text, never syntax.
    expect(store.tasks.list({ search: '"me" OR NEAR(' })).toEqual([]);
    // Re-saving replaces the index entry instead of adding a second one.
    saveWords(store, sung.task.id, sung.trackId, []);
    expect(store.tasks.list({ search: 'carry' })).toEqual([]);

    const plan = withRawConnection(join(temp.dir, 'stemhook.db'), (db) =>
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT task_id FROM take_lyrics_search WHERE take_lyrics_search MATCH '"carry"*'`,
        )
        .all()
        .map((row) => (row as { detail: string }).detail),
    );
    expect(plan.join(' ')).toMatch(/VIRTUAL TABLE INDEX/);
  });
});
