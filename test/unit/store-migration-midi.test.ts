// Migration 6 on a real library written by the previous schema: the `midi` kind is accepted, every
// existing task, stage, track and callback survives with its links, and the file stays intact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/store/migrations/index.ts';
import { migrate } from '../../electron/core/store/migrations/runner.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TASK = `INSERT INTO tasks (id, kie_task_id, kind, state, params, created_at, updated_at) VALUES (?, ?, ?, 'complete', '{}', 1, 1)`;

describe('migration 6 (midi tasks)', () => {
  it('widens the task kinds in place, keeping every row and link of a version-5 library', () => {
    dir = mkdtempSync(join(tmpdir(), 'stemhook-migration-midi-'));
    const db = new Database(join(dir, 'library.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 5));
    db.prepare(TASK).run('split', 'kie-split', 'split_stem');
    db.prepare(
      `INSERT INTO task_stages (task_id, stage, at, source) VALUES ('split', 'complete', 1, 'callback')`,
    ).run();
    db.prepare(
      `INSERT INTO tracks (id, task_id, track_key, stem, state, created_at, updated_at) VALUES ('t1', 'split', 'bass', 'bass', 'remote', 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO callbacks (received_at, headers, body, verdict, task_id, effect, http_status) VALUES (1, '{}', x'00', 'valid', 'split', '{}', 200)`,
    ).run();
    expect(() => db.prepare(TASK).run('early', 'kie-early', 'midi')).toThrow(/CHECK/);

    migrate(db);

    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM task_stages WHERE task_id = 'split'`).get()).toEqual({
      n: 1,
    });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM tracks WHERE task_id = 'split'`).get()).toEqual({ n: 1 });
    expect(db.prepare(`SELECT task_id FROM callbacks`).get()).toEqual({ task_id: 'split' });
    db.prepare(TASK).run('midi', 'kie-midi', 'midi');
    db.prepare(
      `INSERT INTO midi_results (task_id, instruments, summary, note_count, source, received_at) VALUES ('midi', '[]', '[]', 0, 'record-info', 1)`,
    ).run();
    // Notes are only ever stored from record-info: a callback source is refused by the schema.
    expect(() =>
      db
        .prepare(
          `INSERT INTO midi_results (task_id, instruments, summary, note_count, source, received_at) VALUES ('split', '[]', '[]', 0, 'callback', 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare(TASK).run('bad', 'kie-bad', 'karaoke')).toThrow(/CHECK/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Deleting the MIDI task takes its result with it (ON DELETE CASCADE), the split stays.
    db.prepare(`DELETE FROM tasks WHERE id = 'midi'`).run();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM midi_results`).get()).toEqual({ n: 0 });
    db.close();
    // A new connection reads the edited schema from the file, not from the old one's cache.
    const reopened = new Database(join(dir, 'library.db'));
    expect(() => reopened.prepare(TASK).run('midi2', 'kie-midi2', 'midi')).not.toThrow();
    reopened.close();
  });
});
