// The durable download queue: downloads are rows with attempts and a due time, not promises, so a
// crash or restart loses none of them.
import type { Db } from './database.ts';
import type { DownloadRow, DownloadStore } from './interface.ts';

export function createDownloadStore(db: Db): DownloadStore {
  const enqueue =
    db.prepare(`INSERT INTO downloads (track_id, url, state, next_attempt_at, created_at, updated_at)
    VALUES (?, ?, 'queued', ?, ?, ?) ON CONFLICT (track_id) DO NOTHING`);
  const due = db.prepare<[number, number], DownloadRow>(
    `SELECT * FROM downloads WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
  );
  const claim = db.prepare(
    `UPDATE downloads SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued'`,
  );
  const requeueRunning = db.prepare(
    `UPDATE downloads SET state = 'queued', updated_at = ? WHERE state = 'running'`,
  );
  const finish = db.prepare(
    `UPDATE downloads SET state = 'done', last_error = NULL, updated_at = ? WHERE id = ?`,
  );
  const retry = db.prepare(
    `UPDATE downloads SET state = 'queued', last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
  );
  const fail = db.prepare(
    `UPDATE downloads SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const progress = db.prepare(`UPDATE downloads SET bytes_done = ?, bytes_total = ? WHERE id = ?`);
  const byId = db.prepare<[number], DownloadRow>(`SELECT * FROM downloads WHERE id = ?`);
  const byTrack = db.prepare<[string], DownloadRow>(`SELECT * FROM downloads WHERE track_id = ?`);
  const active = db.prepare<[], DownloadRow>(
    `SELECT * FROM downloads WHERE state IN ('queued','running') ORDER BY id`,
  );
  const nextDue = db.prepare<[], { at: number | null }>(
    `SELECT MIN(next_attempt_at) AS at FROM downloads WHERE state = 'queued'`,
  );
  const restart = db.prepare(
    `UPDATE downloads SET state = 'queued', attempts = 0, last_error = NULL, next_attempt_at = ?, updated_at = ? WHERE track_id = ?`,
  );

  return {
    /** Idempotent: a track is downloaded at most once. Returns true when a row was created. */
    enqueue(trackId: string, url: string, at: number): boolean {
      return enqueue.run(trackId, url, at, at, at).changes > 0;
    },
    due(now: number, limit: number): DownloadRow[] {
      return due.all(now, limit);
    },
    claim(id: number, at: number): boolean {
      return claim.run(at, id).changes > 0;
    },
    /** On start: rows a crash left running go back to the queue. */
    requeueInterrupted(at: number): number {
      return requeueRunning.run(at).changes;
    },
    finish(id: number, at: number): void {
      finish.run(at, id);
    },
    retryLater(id: number, error: string, nextAt: number, at: number): void {
      retry.run(error, nextAt, at, id);
    },
    fail(id: number, error: string, at: number): void {
      fail.run(error, at, id);
    },
    progress(id: number, done: number, total: number | null): void {
      progress.run(done, total, id);
    },
    restart(trackId: string, at: number): void {
      restart.run(at, at, trackId);
    },
    get(id: number): DownloadRow | undefined {
      return byId.get(id);
    },
    forTrack(trackId: string): DownloadRow | undefined {
      return byTrack.get(trackId);
    },
    active(): DownloadRow[] {
      return active.all();
    },
    nextDueAt(): number | null {
      return nextDue.get()?.at ?? null;
    },
  };
}
