// Tasks and their stage history: inserts, lookups by local or KIE id, the library query and the
// reconciler's "who is due for a poll" query.
import type { Db } from './database.ts';
import type { StageView, TaskState, TaskView } from '../../../shared/domain.ts';
import { STAGE_RANK } from '../../../shared/job-machine.ts';
import type {
  LyricsStore,
  MidiStore,
  NewTask,
  TaskQuery,
  TaskRow,
  TaskStore,
  TrackStore,
} from './interface.ts';
import { lyricsMatchQuery } from './lyrics-store.ts';

export function createTaskStore(db: Db, tracks: TrackStore, lyrics: LyricsStore, midi: MidiStore): TaskStore {
  const insertTask =
    db.prepare(`INSERT INTO tasks (id, kie_task_id, kind, state, title, source_name, source_path, source_sha256, params,
      parent_task_id, parent_audio_id, callback_url, created_at, updated_at, next_poll_at)
    VALUES (@id, @kie_task_id, @kind, 'submitted', @title, @source_name, @source_path, @source_sha256, @params,
      @parent_task_id, @parent_audio_id, @callback_url, @created_at, @created_at, @next_poll_at)`);
  const insertStage = db.prepare(
    `INSERT OR IGNORE INTO task_stages (task_id, stage, at, source) VALUES (?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string], TaskRow>(`SELECT * FROM tasks WHERE id = ?`);
  const byKieId = db.prepare<[string], TaskRow>(`SELECT * FROM tasks WHERE kie_task_id = ?`);
  // A range on the primary key, so a prefix lookup reads the index, not the table.
  const byIdPrefix = db.prepare<[string, string, number], { id: string }>(
    `SELECT id FROM tasks WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`,
  );
  const stagesOf = db.prepare<[string], { stage: TaskState; at: number; source: StageView['source'] }>(
    `SELECT stage, at, source FROM task_stages WHERE task_id = ? ORDER BY at, id`,
  );
  const updateState = db.prepare(
    `UPDATE tasks SET state = ?, error_code = ?, error_message = ?, updated_at = ? WHERE id = ?`,
  );
  const touch = db.prepare(`UPDATE tasks SET updated_at = ? WHERE id = ?`);
  const callbackFailure = db.prepare<[string], { id: number }>(
    `SELECT id FROM task_stages WHERE task_id = ? AND stage = 'failed' AND source = 'callback'`,
  );
  const deleteStage = db.prepare(`DELETE FROM task_stages WHERE id = ?`);
  const failedByCallback = db.prepare<[], TaskRow>(
    `SELECT tasks.* FROM tasks JOIN task_stages s ON s.task_id = tasks.id
     WHERE tasks.state = 'failed' AND s.stage = 'failed' AND s.source = 'callback'`,
  );
  const schedule = db.prepare(`UPDATE tasks SET next_poll_at = ?, poll_attempts = ? WHERE id = ?`);
  const due = db.prepare<[number, number], TaskRow>(
    `SELECT * FROM tasks WHERE state NOT IN ('complete','failed') AND next_poll_at <= ? ORDER BY next_poll_at LIMIT ?`,
  );
  const active = db.prepare<[], TaskRow>(`SELECT * FROM tasks WHERE state NOT IN ('complete','failed')`);
  const nextDue = db.prepare<[], { at: number | null }>(
    `SELECT MIN(next_poll_at) AS at FROM tasks WHERE state NOT IN ('complete','failed')`,
  );

  function toView(row: TaskRow): TaskView {
    return {
      id: row.id,
      kieTaskId: row.kie_task_id,
      kind: row.kind,
      state: row.state,
      title: row.title,
      sourceName: row.source_name,
      parentTaskId: row.parent_task_id,
      parentAudioId: row.parent_audio_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      stages: stagesOf.all(row.id).map((s) => ({ name: s.stage, at: s.at, source: s.source })),
      error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
      tracks: tracks
        .viewsOf(row.id)
        .map((track) => (track.stem === 'take' ? { ...track, lyrics: lyrics.summaryOf(track.id) } : track)),
      midi: row.kind === 'midi' ? midi.summaryOf(row.id) : null,
    };
  }

  function list(query: TaskQuery = {}): TaskView[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit ?? 200, offset: query.offset ?? 0 };
    if (query.state) {
      where.push('state = @state');
      params.state = query.state;
    }
    if (query.kind) {
      where.push('kind = @kind');
      params.kind = query.kind;
    }
    if (query.search) {
      // The words of a take's lyrics count too, through their full-text index.
      const match = lyricsMatchQuery(query.search);
      const inLyrics = match
        ? ` OR id IN (SELECT task_id FROM take_lyrics_search WHERE take_lyrics_search MATCH @match)`
        : '';
      where.push(
        `(title LIKE @search ESCAPE '\\' OR source_name LIKE @search ESCAPE '\\' OR kie_task_id = @exact OR id = @exact OR (id >= @idFrom AND id < @idTo)${inLyrics})`,
      );
      params.search = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.exact = query.search;
      if (match) params.match = match;
      // The short id the CLI and the library show finds its task too; other text matches no id.
      const isShortId = isIdPrefix(query.search);
      params.idFrom = isShortId ? query.search.toLowerCase() : '';
      params.idTo = isShortId ? idPrefixEnd(query.search.toLowerCase()) : '';
    }
    const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT @limit OFFSET @offset`;
    return (db.prepare(sql).all(params) as TaskRow[]).map(toView);
  }

  return {
    insert(task: NewTask): void {
      db.transaction(() => {
        insertTask.run(task);
        insertStage.run(task.id, 'submitted', task.created_at, 'submit');
      })();
    },
    get(idOrKieId: string): TaskRow | undefined {
      return byId.get(idOrKieId) ?? byKieId.get(idOrKieId);
    },
    getByKieId(kieTaskId: string): TaskRow | undefined {
      return byKieId.get(kieTaskId);
    },
    view(idOrKieId: string): TaskView | undefined {
      const row = byId.get(idOrKieId) ?? byKieId.get(idOrKieId);
      return row ? toView(row) : undefined;
    },
    idsStartingWith(prefix: string, limit: number): string[] {
      if (!isIdPrefix(prefix)) return [];
      const from = prefix.toLowerCase();
      return byIdPrefix.all(from, idPrefixEnd(from), limit).map((row) => row.id);
    },
    list,
    setState(
      id: string,
      state: TaskState,
      at: number,
      error: { code: string; message: string } | null,
    ): void {
      updateState.run(state, error?.code ?? null, error?.message ?? null, at, id);
    },
    addStage(id: string, stage: TaskState, at: number, source: StageView['source']): void {
      insertStage.run(id, stage, at, source);
    },
    touch(id: string, at: number): void {
      touch.run(at, id);
    },
    /**
     * A failure only a callback claimed (before record-info confirmed terminal claims) is undone so
     * record-info can decide afresh: a forged failure must not hide a success. Returns the reopened
     * row, or undefined when the task did not fail that way. Run inside the caller's transaction.
     */
    reopenCallbackFailure(id: string, at: number): TaskRow | undefined {
      const stage = callbackFailure.get(id);
      if (!stage) return undefined;
      deleteStage.run(stage.id);
      const before = stagesOf
        .all(id)
        .reduce<TaskState>(
          (best, s) => (STAGE_RANK[s.stage] > STAGE_RANK[best] ? s.stage : best),
          'submitted',
        );
      updateState.run(before, null, null, at, id);
      return byId.get(id);
    },
    /** Tasks that ended `failed` from a callback alone: each is re-checked once by record-info. */
    failedByCallback(): TaskRow[] {
      return failedByCallback.all();
    },
    schedulePoll(id: string, at: number | null, attempts: number): void {
      schedule.run(at, attempts, id);
    },
    duePolls(now: number, limit = 50): TaskRow[] {
      return due.all(now, limit);
    },
    activeTasks(): TaskRow[] {
      return active.all();
    },
    nextPollAt(): number | null {
      return nextDue.get()?.at ?? null;
    },
  };
}

/** Task ids are lowercase UUIDs; a short form is their first characters (the CLI prints 8). */
export const SHORT_ID_MIN = 6;

function isIdPrefix(text: string): boolean {
  return text.length >= SHORT_ID_MIN && /^[0-9a-f-]+$/i.test(text);
}

/** The smallest string above every id that starts with `prefix` (ids are ASCII). */
function idPrefixEnd(prefix: string): string {
  return `${prefix}\u007f`;
}
