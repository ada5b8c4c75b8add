// The callback inbox: every request the receiver got, kept raw with its verdict and effect, so
// nothing is acknowledged before it is durable and every decision can be inspected and replayed.
import type { Db } from './database.ts';
import type { CallbackQuery, CallbackRow, CallbackStore, NewCallback } from './interface.ts';

export function createCallbackStore(db: Db): CallbackStore {
  const insert =
    db.prepare(`INSERT INTO callbacks (received_at, headers, body, body_truncated, verdict, kie_task_id,
      task_id, dedupe_key, is_duplicate, effect, http_status, replay_of, submission_id, signature_pair)
    VALUES (@received_at, @headers, @body, @body_truncated, @verdict, @kie_task_id, @task_id, @dedupe_key,
      @is_duplicate, @effect, @http_status, @replay_of, @submission_id, @signature_pair)`);
  const seen = db.prepare<[string], { n: number }>(
    `SELECT COUNT(*) AS n FROM callbacks WHERE dedupe_key = ? AND verdict IN ('valid','unsigned')`,
  );
  const byId = db.prepare<[number], CallbackRow>(`SELECT * FROM callbacks WHERE id = ?`);
  const pairBody = db.prepare<[string], { dedupe_key: string | null }>(
    `SELECT dedupe_key FROM callbacks WHERE signature_pair = ? AND http_status = 200 ORDER BY id LIMIT 1`,
  );
  // A replay row points at its original; pruning the original must not break that reference.
  const unlinkOld = db.prepare(
    `UPDATE callbacks SET replay_of = NULL WHERE replay_of IN (SELECT id FROM callbacks WHERE received_at < ?)`,
  );
  const deleteOld = db.prepare(`DELETE FROM callbacks WHERE received_at < ?`);

  return {
    insert(row: NewCallback): number {
      return Number(insert.run(row).lastInsertRowid);
    },
    isSeen(dedupeKey: string): boolean {
      return (seen.get(dedupeKey)?.n ?? 0) > 0;
    },
    /** The dedupe key of the body first accepted under this signature pair, or undefined if unused. */
    bodyAcceptedFor(signaturePair: string): string | null | undefined {
      return pairBody.get(signaturePair)?.dedupe_key;
    },
    /** Deletes inbox rows received before `before` (ms); returns how many went. */
    pruneBefore(before: number): number {
      return db.transaction(() => {
        unlinkOld.run(before);
        return deleteOld.run(before).changes;
      })();
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
