// The SQLite store on real temp files: migrations and the newer-database refusal, index use of the
// critical queries, track merge rules, the download queue, library search, and applyEvent's trust rules.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, StoreError, type Store } from '../../electron/core/store/index.ts';
import { openDatabase, type Db } from '../../electron/core/store/database.ts';
import { MIGRATIONS } from '../../electron/core/store/migrations/index.ts';
import { createTrackStore } from '../../electron/core/store/track-store.ts';
import { createTaskStore } from '../../electron/core/store/task-store.ts';
import { createLyricsStore } from '../../electron/core/store/lyrics-store.ts';
import { createMidiStore } from '../../electron/core/store/midi-store.ts';
import { createDownloadStore } from '../../electron/core/store/download-store.ts';
import { createCallbackStore } from '../../electron/core/store/callback-store.ts';
import { applyEvent, type Effect } from '../../electron/core/pipeline/apply-event.ts';
import { stemTrack, type AnnouncedTrack, type KieEvent } from '../../shared/kie/tracks.ts';
import { parseCallback } from '../../shared/kie/callbacks.ts';
import { SPLIT_STEMS } from '../../shared/domain.ts';
import { createTempStore, insertTestTask, type TempStore } from '../helpers/temp-store.ts';
import { withRawConnection } from '../helpers/raw-sql.ts';
import * as F from '../fixtures/kie-callbacks.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function tempStore(): TempStore {
  const temp = createTempStore();
  cleanups.push(temp.cleanup);
  return temp;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-store-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function take(id: string, url: string | null): AnnouncedTrack {
  return {
    key: id,
    audioId: id,
    stem: 'take',
    title: `Take ${id}`,
    url,
    streamUrl: `https://stream.example/${id}`,
    imageUrl: null,
    durationSec: 120,
    tags: 'rock',
    prompt: null,
    modelName: null,
  };
}

describe('migrations', () => {
  it('a fresh database reaches the latest user_version, in WAL mode with foreign keys on', () => {
    // foreign_keys is per connection, so this looks at the store's own (openDatabase's) connection.
    const db = openDatabase(join(tempDir(), 'fresh.db'));
    cleanups.push(() => db.close());
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['callbacks', 'downloads', 'settings', 'task_stages', 'tasks', 'tracks']),
    );
  });

  it('reopening is a no-op: same version, same schema, data kept', () => {
    const dir = tempDir();
    const path = join(dir, 'lib.db');
    const first = createStore(path);
    const task = insertTestTask(first, { title: 'kept' });
    const schemaOf = () =>
      withRawConnection(path, (db) => ({
        version: db.pragma('user_version', { simple: true }),
        schema: db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all(),
      }));
    const before = schemaOf();
    first.close();
    const second = createStore(path);
    cleanups.push(() => second.close());
    expect(before.version).toBe(MIGRATIONS.length);
    expect(schemaOf()).toEqual(before);
    expect(second.tasks.get(task.id)?.title).toBe('kept');
  });

  it.each(['delete', 'wal'])(
    'refuses a newer database (journal %s) and leaves its bytes untouched',
    (mode) => {
      const dir = tempDir();
      const path = join(dir, 'newer.db');
      const raw = new Database(path);
      raw.pragma(`journal_mode = ${mode}`);
      raw.exec(`CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('from the future');`);
      raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
      raw.close();
      const before = readFileSync(path);
      const filesBefore = readdirSync(dir).sort();

      let caught: unknown;
      try {
        createStore(path).close();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StoreError);
      expect((caught as StoreError).code).toBe('newer_database');
      expect(Buffer.compare(readFileSync(path), before)).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(filesBefore);
    },
  );

  it('runs pending migrations from version 0 on an existing empty file', () => {
    const dir = tempDir();
    const path = join(dir, 'empty.db');
    new Database(path).close();
    const db = openDatabase(path);
    cleanups.push(() => db.close());
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });
});

/** Records every SQL text the store modules prepare, so the plans below test their real queries. */
function captureSql(db: Db): string[] {
  const seen: string[] = [];
  const original = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    seen.push(source);
    return original(source);
  }) as Db['prepare'];
  return seen;
}

function planOf(db: Db, sql: string, params: unknown): string {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Array.isArray(params) ? stmt.all(...params) : stmt.all(params)) as Array<{ detail: string }>;
  return rows.map((r) => r.detail).join('\n');
}

function findSql(seen: string[], fragment: string): string {
  const hits = seen.filter((sql) => sql.includes(fragment));
  expect(hits, `one prepared statement containing ${fragment}`).toHaveLength(1);
  return hits[0] ?? '';
}

describe('query plans use their index', () => {
  function setup() {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'plans.db'));
    cleanups.push(() => db.close());
    const seen = captureSql(db);
    const tracks = createTrackStore(db);
    const tasks = createTaskStore(db, tracks, createLyricsStore(db), createMidiStore(db));
    const downloads = createDownloadStore(db);
    const callbacks = createCallbackStore(db);
    return { db, seen, tasks, downloads, callbacks };
  }

  it('due polls → tasks_active_by_poll, no sort step', () => {
    const { db, seen } = setup();
    const plan = planOf(db, findSql(seen, 'next_poll_at <= ?'), [1000, 50]);
    expect(plan).toContain('tasks_active_by_poll');
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('next poll time → tasks_active_by_poll', () => {
    const { db, seen } = setup();
    expect(planOf(db, findSql(seen, 'MIN(next_poll_at)'), [])).toContain('tasks_active_by_poll');
  });

  it('due downloads → downloads_due, no sort step', () => {
    const { db, seen } = setup();
    const plan = planOf(db, findSql(seen, 'next_attempt_at <= ?'), [1000, 10]);
    expect(plan).toContain('downloads_due');
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('task list (plain and searched) → tasks_by_created, no sort step', () => {
    const { db, seen, tasks } = setup();
    tasks.list();
    const plain = seen.at(-1) ?? '';
    expect(plain).toContain('ORDER BY created_at DESC');
    const plan = planOf(db, plain, { limit: 200, offset: 0 });
    expect(plan).toContain('tasks_by_created');
    expect(plan).not.toMatch(/TEMP B-TREE/);
    tasks.list({ search: 'harbor' });
    const searched = seen.at(-1) ?? '';
    expect(searched).toContain('LIKE');
    const searchedPlan = planOf(db, searched, {
      limit: 200,
      offset: 0,
      search: '%harbor%',
      exact: 'harbor',
      match: '"harbor"*',
      idFrom: '',
      idTo: '',
    });
    expect(searchedPlan).toContain('tasks_by_created');
    // Words of the lyrics are looked up in the FTS5 index, never by scanning the stored words.
    expect(searchedPlan).toMatch(/take_lyrics_search VIRTUAL TABLE INDEX/);
    expect(searchedPlan).not.toMatch(/SCAN take_lyrics\b/);
  });

  it('task by short id → the primary key, a range not a scan', () => {
    const { db, seen, tasks } = setup();
    tasks.idsStartingWith('3f9c2b7d', 2);
    const plan = planOf(db, findSql(seen, 'id >= ? AND id < ?'), ['3f9c2b7d', '3f9c2b7d\u007f', 2]);
    expect(plan).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_tasks_1 \(id>\? AND id<\?\)/);
  });

  it('callbacks of a task → callbacks_by_task', () => {
    const { db, seen, callbacks } = setup();
    callbacks.list({ taskId: 'some-task' });
    const sql = seen.at(-1) ?? '';
    expect(sql).toContain('task_id = @taskId');
    expect(planOf(db, sql, { taskId: 'some-task', limit: 200 })).toContain('callbacks_by_task');
  });

  it('duplicate lookup → callbacks_by_dedupe', () => {
    const { db, seen } = setup();
    expect(planOf(db, findSql(seen, 'dedupe_key = ?'), ['k'])).toContain('callbacks_by_dedupe');
  });

  it('lossless WAV of a take (export) → tasks_wav_by_parent, no scan of tasks', () => {
    const { db, seen } = setup();
    const plan = planOf(db, findSql(seen, 't.parent_audio_id = ?'), ['parent-task', 'audio-1']);
    expect(plan).toContain('tasks_wav_by_parent');
    expect(plan).not.toMatch(/SCAN/);
  });
});

describe('track merge', () => {
  it('untrusted announcements never set a URL; the first trusted URL is accepted once', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    const a = store.tracks.merge(task.id, take('a', 'https://evil.example/a.mp3'), false, 'callback', 10);
    expect(a).toMatchObject({ isNew: true, acceptedUrl: null, conflictingUrl: null });
    expect(store.tracks.get(a.trackId)).toMatchObject({
      remote_url: null,
      url_source: null,
      title: 'Take a',
    });

    const b = store.tracks.merge(task.id, take('a', 'https://file.example/a.mp3'), true, 'record-info', 20);
    expect(b).toMatchObject({ trackId: a.trackId, isNew: false, acceptedUrl: 'https://file.example/a.mp3' });
    expect(store.tracks.get(a.trackId)).toMatchObject({
      remote_url: 'https://file.example/a.mp3',
      url_source: 'record-info',
    });

    const same = store.tracks.merge(task.id, take('a', 'https://file.example/a.mp3'), true, 'callback', 30);
    expect(same).toMatchObject({ acceptedUrl: null, conflictingUrl: null });

    const other = store.tracks.merge(
      task.id,
      take('a', 'https://file.example/OTHER.mp3'),
      true,
      'callback',
      40,
    );
    expect(other).toMatchObject({ acceptedUrl: null, conflictingUrl: 'https://file.example/OTHER.mp3' });
    expect(store.tracks.get(a.trackId)).toMatchObject({
      remote_url: 'https://file.example/a.mp3',
      url_source: 'record-info',
    });

    const untrustedOther = store.tracks.merge(
      task.id,
      take('a', 'https://evil.example/x.mp3'),
      false,
      'callback',
      50,
    );
    expect(untrustedOther).toMatchObject({ acceptedUrl: null, conflictingUrl: null });
    expect(store.tracks.get(a.trackId)?.remote_url).toBe('https://file.example/a.mp3');
  });

  it('untrusted announcements set no URL of any kind, so a trusted source can still fill them', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    const hostile = { ...take('s', 'https://evil.example/a.mp3'), imageUrl: 'https://evil.example/i.png' };
    const { trackId } = store.tracks.merge(task.id, hostile, false, 'callback', 10);
    expect(store.tracks.get(trackId)).toMatchObject({ remote_url: null, stream_url: null, image_url: null });
    const genuine = { ...take('s', 'https://file.example/s.mp3'), imageUrl: 'https://file.example/s.png' };
    store.tracks.merge(task.id, genuine, true, 'record-info', 20);
    expect(store.tracks.get(trackId)).toMatchObject({
      remote_url: 'https://file.example/s.mp3',
      stream_url: 'https://stream.example/s',
      image_url: 'https://file.example/s.png',
    });
  });

  it('a trusted new track takes its URL at insert; missing fields are filled, present ones kept', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    const first = store.tracks.merge(
      task.id,
      { ...take('b', 'https://file.example/b.mp3'), title: null },
      true,
      'callback',
      10,
    );
    expect(first).toMatchObject({ isNew: true, acceptedUrl: 'https://file.example/b.mp3' });
    store.tracks.merge(
      task.id,
      { ...take('b', null), title: 'Named later', durationSec: 999 },
      true,
      'callback',
      20,
    );
    expect(store.tracks.get(first.trackId)).toMatchObject({ title: 'Named later', duration_sec: 120 });
  });

  it('views list separation stems in KIE order', () => {
    const { store } = tempStore();
    const task = insertTestTask(store, { kind: 'split_stem' });
    for (const stem of [...SPLIT_STEMS].reverse()) {
      store.tracks.merge(
        task.id,
        stemTrack(stem, `https://file.example/${stem}.mp3`, null, null),
        true,
        'callback',
        1,
      );
    }
    expect(store.tracks.viewsOf(task.id).map((t) => t.stem)).toEqual(SPLIT_STEMS);
  });
});

describe('download queue', () => {
  function withTrack(): { store: Store; trackId: string } {
    const { store } = tempStore();
    const task = insertTestTask(store);
    const { trackId } = store.tracks.merge(
      task.id,
      take('t', 'https://file.example/t.mp3'),
      true,
      'callback',
      1,
    );
    return { store, trackId };
  }

  it('enqueue is idempotent per track', () => {
    const { store, trackId } = withTrack();
    expect(store.downloads.enqueue(trackId, 'https://file.example/t.mp3', 100)).toBe(true);
    expect(store.downloads.enqueue(trackId, 'https://file.example/OTHER.mp3', 200)).toBe(false);
    expect(store.downloads.forTrack(trackId)).toMatchObject({
      url: 'https://file.example/t.mp3',
      next_attempt_at: 100,
    });
    expect(store.downloads.active()).toHaveLength(1);
  });

  it('refuses a download for a track that does not exist (foreign keys on)', () => {
    const { store } = tempStore();
    expect(() => store.downloads.enqueue('no-such-track', 'https://file.example/x.mp3', 1)).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('claim once, requeue what a crash left running, retry later, fail, finish', () => {
    const { store, trackId } = withTrack();
    store.downloads.enqueue(trackId, 'https://file.example/t.mp3', 100);
    expect(store.downloads.due(99, 10)).toEqual([]);
    const [row] = store.downloads.due(100, 10);
    if (!row) throw new Error('expected a due download');
    expect(store.downloads.claim(row.id, 101)).toBe(true);
    expect(store.downloads.claim(row.id, 102)).toBe(false);
    expect(store.downloads.get(row.id)).toMatchObject({ state: 'running', attempts: 1 });
    expect(store.downloads.due(1000, 10)).toEqual([]);

    expect(store.downloads.requeueInterrupted(200)).toBe(1);
    expect(store.downloads.requeueInterrupted(201)).toBe(0);
    expect(store.downloads.get(row.id)).toMatchObject({ state: 'queued', attempts: 1 });

    expect(store.downloads.claim(row.id, 300)).toBe(true);
    store.downloads.retryLater(row.id, 'HTTP 503', 5000, 301);
    expect(store.downloads.get(row.id)).toMatchObject({
      state: 'queued',
      attempts: 2,
      last_error: 'HTTP 503',
    });
    expect(store.downloads.due(4999, 10)).toEqual([]);
    expect(store.downloads.nextDueAt()).toBe(5000);
    expect(store.downloads.due(5000, 10).map((d) => d.id)).toEqual([row.id]);

    expect(store.downloads.claim(row.id, 5001)).toBe(true);
    store.downloads.fail(row.id, 'too large', 5002);
    expect(store.downloads.get(row.id)).toMatchObject({ state: 'failed', last_error: 'too large' });
    expect(store.downloads.active()).toEqual([]);
    expect(store.downloads.nextDueAt()).toBeNull();
    expect(store.downloads.claim(row.id, 5003)).toBe(false);

    store.downloads.restart(trackId, 6000);
    expect(store.downloads.get(row.id)).toMatchObject({ state: 'queued', attempts: 0, last_error: null });
    expect(store.downloads.claim(row.id, 6001)).toBe(true);
    store.downloads.finish(row.id, 6002);
    expect(store.downloads.get(row.id)).toMatchObject({ state: 'done', last_error: null });
  });

  it('due lists the earliest first and honours the limit', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    for (const [i, at] of [300, 100, 200].entries()) {
      const { trackId } = store.tracks.merge(
        task.id,
        take(`t${i}`, `https://f.example/${i}`),
        true,
        'callback',
        1,
      );
      store.downloads.enqueue(trackId, `https://f.example/${i}`, at);
    }
    expect(store.downloads.due(1000, 2).map((d) => d.next_attempt_at)).toEqual([100, 200]);
  });
});

describe('task list', () => {
  it('searches titles literally: % and _ and \\ are not wildcards', () => {
    const { store } = tempStore();
    const titles = ['100% Juice', '1000 Juice', 'snake_case', 'snakeXcase', 'back\\slash', 'backslash'];
    titles.forEach((title, i) => insertTestTask(store, { title, created_at: i }));
    const titlesFor = (search: string) => store.tasks.list({ search }).map((t) => t.title);
    expect(titlesFor('100%')).toEqual(['100% Juice']);
    expect(titlesFor('%')).toEqual(['100% Juice']);
    expect(titlesFor('e_c')).toEqual(['snake_case']);
    expect(titlesFor('_')).toEqual(['snake_case']);
    expect(titlesFor('k\\s')).toEqual(['back\\slash']);
    expect(titlesFor('JUICE')).toEqual(['1000 Juice', '100% Juice']);
  });

  it('finds a task by the short id the CLI prints, and says nothing for text that is not an id', () => {
    const { store } = tempStore();
    const a = insertTestTask(store, {
      id: '3f9c2b7d-0000-4000-8000-000000000001',
      title: 'Harbor',
      created_at: 1,
    });
    const b = insertTestTask(store, {
      id: '3f9c2b7e-0000-4000-8000-000000000002',
      title: 'Night',
      created_at: 2,
    });
    expect(store.tasks.list({ search: '3f9c2b7d' }).map((t) => t.id)).toEqual([a.id]);
    expect(store.tasks.list({ search: '3F9C2B7E' }).map((t) => t.id)).toEqual([b.id]);
    expect(store.tasks.idsStartingWith('3f9c2b7d', 2)).toEqual([a.id]);
    expect(store.tasks.idsStartingWith('3f9c2b', 2)).toEqual([a.id, b.id]);
    // Too short to be meant as an id, or not an id at all: only titles match.
    expect(store.tasks.idsStartingWith('3f9c', 2)).toEqual([]);
    expect(store.tasks.list({ search: '3f9c' })).toEqual([]);
    expect(store.tasks.idsStartingWith('Harbor', 2)).toEqual([]);
  });

  it('finds by exact KIE id or source name, filters by state and kind, newest first', () => {
    const { store } = tempStore();
    const a = insertTestTask(store, { kie_task_id: 'kie-aaa', created_at: 1, source_name: 'vox-take3.mp3' });
    const b = insertTestTask(store, { kie_task_id: 'kie-bbb', created_at: 2, kind: 'split_stem' });
    store.tasks.setState(b.id, 'complete', 5, null);
    expect(store.tasks.list().map((t) => t.id)).toEqual([b.id, a.id]);
    expect(store.tasks.list({ search: 'kie-aaa' }).map((t) => t.id)).toEqual([a.id]);
    expect(store.tasks.list({ search: 'kie-a' })).toEqual([]);
    expect(store.tasks.list({ search: 'take3' }).map((t) => t.id)).toEqual([a.id]);
    expect(store.tasks.list({ state: 'complete' }).map((t) => t.id)).toEqual([b.id]);
    expect(store.tasks.list({ kind: 'add-instrumental' }).map((t) => t.id)).toEqual([a.id]);
    expect(store.tasks.list({ limit: 1, offset: 1 }).map((t) => t.id)).toEqual([a.id]);
  });

  it('due polls skip terminal tasks and tasks not yet due', () => {
    const { store } = tempStore();
    const due = insertTestTask(store, { next_poll_at: 100 });
    const later = insertTestTask(store, { next_poll_at: 900 });
    const done = insertTestTask(store, { next_poll_at: 50 });
    store.tasks.setState(done.id, 'complete', 60, null);
    expect(store.tasks.duePolls(500).map((t) => t.id)).toEqual([due.id]);
    expect(store.tasks.nextPollAt()).toBe(100);
    expect(
      store.tasks
        .activeTasks()
        .map((t) => t.id)
        .sort(),
    ).toEqual([due.id, later.id].sort());
  });
});

describe('settings', () => {
  it('set, overwrite, read back', () => {
    const { store } = tempStore();
    expect(store.settings.get('theme')).toBeNull();
    store.settings.set('theme', 'dark');
    store.settings.set('theme', 'light');
    store.settings.set('lang', 'en');
    expect(store.settings.get('theme')).toBe('light');
    expect(store.settings.all()).toEqual({ theme: 'light', lang: 'en' });
  });
});

describe('applyEvent', () => {
  const COMPLETE_URL = 'https://file.example/0b8e1c52.mp3';

  /** Where the event came from: a signed or unsigned callback, or record-info (the truth). */
  type From = 'signed' | 'unsigned' | 'record-info';

  function apply(store: Store, taskId: string, event: KieEvent, from: From, at = 2000): Effect {
    const task = store.tasks.get(taskId);
    if (!task) throw new Error('no task');
    const source = from === 'record-info' ? 'record-info' : 'callback';
    return store.transaction(() => applyEvent(store, { task, event, source, at }));
  }

  function eventOf(body: unknown): KieEvent {
    const parsed = parseCallback(body);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value.event;
  }

  const complete = eventOf(F.MUSIC_COMPLETE);
  const failure = eventOf(F.MUSIC_FAILURE_WITH_ERROR);
  const text = eventOf(F.MUSIC_TEXT);
  const first: KieEvent = { kind: 'progress', stage: 'first', tracks: [] };

  it.each([
    // event, from, state after, needsVerification, tracks added, downloads queued, the event
    ['text', 'signed', 'text', false, 0, 0, text],
    ['text', 'unsigned', 'text', false, 0, 0, text],
    ['first', 'signed', 'first', false, 0, 0, first],
    ['first', 'unsigned', 'first', false, 0, 0, first],
    ['complete', 'signed', 'submitted', true, 0, 0, complete],
    ['complete', 'unsigned', 'submitted', true, 0, 0, complete],
    ['complete', 'record-info', 'complete', false, 1, 1, complete],
    ['failure', 'signed', 'submitted', true, 0, 0, failure],
    ['failure', 'unsigned', 'submitted', true, 0, 0, failure],
    ['failure', 'record-info', 'failed', false, 0, 0, failure],
    ['pending', 'signed', 'submitted', false, 0, 0, { kind: 'pending' } as KieEvent],
    ['pending', 'record-info', 'submitted', false, 0, 0, { kind: 'pending' } as KieEvent],
  ] as const)('%s (from %s) → %s', (_name, from, state, needsVerification, added, queued, event) => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    const effect = apply(store, task.id, event, from);
    expect(effect).toMatchObject({
      from: 'submitted',
      to: state,
      needsVerification,
      tracksAdded: added,
      downloadsQueued: queued,
    });
    const row = store.tasks.get(task.id);
    expect(row?.state).toBe(state);
    const stages = store.tasks.view(task.id)?.stages.map((s) => s.name);
    expect(stages).toEqual(state === 'submitted' ? ['submitted'] : ['submitted', state]);
    if (state === 'failed')
      expect(row).toMatchObject({
        error_code: 'kie_501',
        error_message: expect.stringContaining('technical'),
      });
    else expect(row?.error_code).toBeNull();
    const urls = store.tracks.rowsOf(task.id).map((t) => t.remote_url);
    expect(urls).toEqual(added === 0 ? [] : [COMPLETE_URL]);
    expect(store.downloads.active()).toHaveLength(queued);
  });

  it('duplicates are no-ops', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    apply(store, task.id, complete, 'record-info', 2100);
    const again = apply(store, task.id, complete, 'record-info', 2200);
    expect(again).toMatchObject({ from: 'complete', to: 'complete', tracksAdded: 0, downloadsQueued: 0 });
    expect(again.note).toMatch(/duplicate/);
    expect(store.tasks.get(task.id)?.updated_at).toBe(2100);
    expect(store.downloads.active()).toHaveLength(1);
  });

  it('a failure after complete is ignored with a note', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    apply(store, task.id, complete, 'record-info');
    const effect = apply(store, task.id, failure, 'record-info', 2300);
    expect(effect).toMatchObject({ from: 'complete', to: 'complete' });
    expect(effect.note).toMatch(/contradicts terminal state complete/);
    expect(store.tasks.get(task.id)).toMatchObject({ state: 'complete', error_code: null });
  });

  it('late stages after complete change nothing', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    apply(store, task.id, complete, 'record-info');
    const late = apply(store, task.id, { ...complete, stage: 'first' } as KieEvent, 'signed', 2400);
    expect(late).toMatchObject({
      to: 'complete',
      tracksAdded: 0,
      downloadsQueued: 0,
      needsVerification: true,
    });
    expect(late.note).toMatch(/complete/);
    expect(store.tasks.view(task.id)?.stages.map((s) => s.name)).toEqual(['submitted', 'complete']);
  });

  it('a (signed or not) complete callback leaves tracks and URLs to record-info', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    apply(store, task.id, complete, 'signed');
    apply(store, task.id, complete, 'unsigned');
    expect(store.tracks.rowsOf(task.id)).toEqual([]);
    const confirmed = apply(store, task.id, complete, 'record-info', 2500);
    expect(confirmed).toMatchObject({
      to: 'complete',
      tracksAdded: 1,
      downloadsQueued: 1,
      needsVerification: false,
    });
    expect(store.tracks.rowsOf(task.id)[0]).toMatchObject({
      remote_url: COMPLETE_URL,
      url_source: 'record-info',
    });
    expect(store.tasks.view(task.id)?.stages.at(-1)).toMatchObject({
      name: 'complete',
      source: 'record-info',
    });
  });

  it('a different URL for a confirmed track is reported, not taken', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    apply(store, task.id, complete, 'record-info');
    const changed = eventOf({
      ...F.MUSIC_COMPLETE,
      data: {
        ...F.MUSIC_COMPLETE.data,
        data: [{ ...F.MUSIC_COMPLETE.data.data?.[0], audio_url: 'https://evil.example/x.mp3' }],
      },
    });
    const effect = apply(store, task.id, changed, 'record-info', 2200);
    expect(effect.conflictingUrls).toEqual(['https://evil.example/x.mp3']);
    expect(effect.note).toMatch(/different URL/);
    expect(effect.downloadsQueued).toBe(0);
    expect(store.tracks.rowsOf(task.id)[0]?.remote_url).toBe(COMPLETE_URL);
    expect(store.downloads.active().map((d) => d.url)).toEqual([COMPLETE_URL]);
  });

  it('a first stage without an audio URL queues nothing; complete then queues it', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    const noUrl = take(F.MUSIC_AUDIO_ID, null);
    const firstEffect = apply(
      store,
      task.id,
      { kind: 'progress', stage: 'first', tracks: [noUrl] },
      'record-info',
    );
    expect(firstEffect).toMatchObject({ to: 'first', tracksAdded: 1, downloadsQueued: 0 });
    const done = apply(store, task.id, complete, 'record-info', 2200);
    expect(done).toMatchObject({ to: 'complete', tracksAdded: 0, downloadsQueued: 1 });
  });

  it('split_stem from record-info: 12 tracks and 12 downloads', () => {
    const { store } = tempStore();
    const task = insertTestTask(store, { kind: 'split_stem', kie_task_id: F.SPLIT_STEM_TASK_ID });
    const effect = apply(store, task.id, eventOf(F.SPLIT_STEM_SUCCESS), 'record-info');
    expect(effect).toMatchObject({ to: 'complete', tracksAdded: 12, downloadsQueued: 12 });
    expect(store.downloads.active()).toHaveLength(12);
  });
});

describe('temp store helper', () => {
  it('cleanup closes the database and removes the directory', () => {
    const temp = createTempStore();
    expect(existsSync(temp.dir)).toBe(true);
    temp.cleanup();
    expect(existsSync(temp.dir)).toBe(false);
    expect(temp.store.isOpen()).toBe(false);
  });
});
