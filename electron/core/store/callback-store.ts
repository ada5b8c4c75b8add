// The callback inbox: every request the receiver got, kept raw with its verdict and effect, so
// nothing is acknowledged before it is durable and every decision can be inspected and replayed.
import type { Db } from './database.ts';
import type { CallbackQuery, CallbackRow, CallbackStore, NewCallback } from './interface.ts';

export function createCallbackStore(db: Db): CallbackStore {
  const insert =
    db.prepare(`INSERT INTO callbacks (received_at, headers, body, body_truncated, verdict, kie_task_id,
      task_id, dedupe_key, is_duplicate, effect, http_status, replay_of, submission_id)
    VALUES (@received_at, @headers, @body, @body_truncated, @verdict, @kie_task_id, @task_id, @dedupe_key,
      @is_duplicate, @effect, @http_status, @replay_of, @submission_id)`);
  const seen = db.prepare<[string], { n: number }>(
    `SELECT COUNT(*) AS n FROM callbacks WHERE dedupe_key = ? AND verdict IN ('valid','unsigned')`,
  );
  const byId = db.prepare<[number], CallbackRow>(`SELECT * FROM callbacks WHERE id = ?`);

  return {
    insert(row: NewCallback): number {
      return Number(insert.run(row).lastInsertRowid);
    },
    isSeen(dedupeKey: string): boolean {
      return (seen.get(dedupeKey)?.n ?? 0) > 0;
    },
    get(id: number): CallbackRow | undefined {
      return byId.get(id);
    },
    list(query: CallbackQuery = {}): CallbackRow[] {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: query.limit ?? 200 };
      if (query.taskId) {
        where.push('task_id = @taskId');
        params.taskId = query.taskId;
      }
      if (query.verdict) {
        where.push('verdict = @verdict');
        params.verdict = query.verdict;
      }
      if (query.beforeId) {
        where.push('id < @beforeId');
        params.beforeId = query.beforeId;
      }
      const sql = `SELECT * FROM callbacks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
      return db.prepare(sql).all(params) as CallbackRow[];
    },
  };
}
