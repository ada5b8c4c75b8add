// Tasks and their stage history: inserts, lookups by local or KIE id, the library query and the
// reconciler's "who is due for a poll" query.
import type { Db } from './database.ts';
import type { StageView, TaskState, TaskView } from '../../../shared/domain.ts';
import type { MidiStore, NewTask, TaskQuery, TaskRow, TaskStore, TrackStore } from './interface.ts';

export function createTaskStore(db: Db, tracks: TrackStore, midi: MidiStore): TaskStore {
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
  const stagesOf = db.prepare<[string], { stage: TaskState; at: number; source: StageView['source'] }>(
    `SELECT stage, at, source FROM task_stages WHERE task_id = ? ORDER BY at, id`,
  );
  const updateState = db.prepare(
    `UPDATE tasks SET state = ?, error_code = ?, error_message = ?, updated_at = ? WHERE id = ?`,
  );
  const touch = db.prepare(`UPDATE tasks SET updated_at = ? WHERE id = ?`);
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
      tracks: tracks.viewsOf(row.id),
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
      where.push(
        `(title LIKE @search ESCAPE '\\' OR source_name LIKE @search ESCAPE '\\' OR kie_task_id = @exact OR id = @exact)`,
      );
      params.search = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.exact = query.search;
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
