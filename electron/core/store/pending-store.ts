// Submissions whose KIE create call is in flight, or whose answer was lost: kept so a callback can
// still turn them into a task (see pending_submissions in migrations/001-initial-schema.ts).
import type { Db } from './database.ts';
import type { PendingStore, PendingTask, TaskStore } from './interface.ts';

export function createPendingStore(db: Db, tasks: TaskStore): PendingStore {
  const put = db.prepare(
    `INSERT OR REPLACE INTO pending_submissions (id, task, created_at) VALUES (?, ?, ?)`,
  );
  const get = db.prepare<[string], { task: string }>(`SELECT task FROM pending_submissions WHERE id = ?`);
  const remove = db.prepare(`DELETE FROM pending_submissions WHERE id = ?`);
  const expire = db.prepare(`DELETE FROM pending_submissions WHERE created_at < ?`);
  return {
    put(task: PendingTask): void {
      put.run(task.id, JSON.stringify(task), task.created_at);
    },
    remove(id: string): void {
      remove.run(id);
    },
    /** KIE calls back within minutes; a day-old submission that never did was never created. */
    forgetOlderThan(at: number): number {
      return expire.run(at).changes;
    },
    /** Inside the caller's transaction: records the task under the KIE id the callback revealed. */
    adopt(id: string, kieTaskId: string): boolean {
      const row = get.get(id);
      if (!row || tasks.getByKieId(kieTaskId)) return false;
      tasks.insert({ ...(JSON.parse(row.task) as PendingTask), kie_task_id: kieTaskId });
      remove.run(id);
      return true;
    },
  };
}
