// Migration 6: the `midi` task kind and the table of MIDI transcriptions (one row per MIDI task,
// its instruments and notes as JSON, written once from a record-info answer).
import type { Migration } from './migration.ts';

const OLD_KINDS = `CHECK (kind IN ('add-instrumental','add-vocals','separate_vocal','split_stem','wav'))`;
const NEW_KINDS = `CHECK (kind IN ('add-instrumental','add-vocals','separate_vocal','split_stem','wav','midi'))`;

/**
 * SQLite cannot alter a CHECK constraint, and rebuilding `tasks` would cascade-delete every stage,
 * track and callback link (foreign_keys cannot be switched off inside the migration transaction).
 * Widening an IN list is one of the schema edits SQLite documents as safe through writable_schema
 * (sqlite.org/lang_altertable.html, "otheralter"): existing rows all still pass.
 */
function widenTaskKinds(db: Parameters<Migration['up']>[0]): void {
  const row = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'tasks'`).get() as
    { sql: string } | undefined;
  if (!row?.sql.includes(OLD_KINDS))
    throw new Error('tasks table does not have the expected kind constraint');
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare(`UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'tasks'`).run(
      row.sql.replace(OLD_KINDS, NEW_KINDS),
    );
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = RESET');
  } finally {
    db.unsafeMode(false);
  }
}

export const midiTasks: Migration = {
  version: 6,
  up(db) {
    widenTaskKinds(db);
    db.exec(`
CREATE TABLE midi_results (
  task_id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  instruments TEXT NOT NULL,
  -- [{ name, noteCount }]: what the library shows, without parsing every note.
  summary TEXT NOT NULL,
  note_count INTEGER NOT NULL,
  -- Notes are stored only from record-info: a callback body is a claim, never the truth.
  source TEXT NOT NULL CHECK (source = 'record-info'),
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tasks_midi_by_parent ON tasks(parent_task_id) WHERE kind = 'midi';`);
  },
};
