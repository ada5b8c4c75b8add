// Which due downloads to start next: round-robin across tasks instead of first-come-first-served, so
// one task's slow or numerous files never hold every slot while another task's files wait.

export interface DueDownload<T> {
  row: T;
  taskId: string;
}

/**
 * Picks up to `free` rows from `due` (oldest first): each pick goes to the task with the fewest
 * running downloads, ties to the task served least recently (never served first), and within a
 * task the oldest row. `lastServed` holds a task's most recent pick, as an increasing number.
 */
export function pickFairly<T>(
  due: readonly DueDownload<T>[],
  running: ReadonlyMap<string, number>,
  lastServed: ReadonlyMap<string, number>,
  free: number,
): DueDownload<T>[] {
  const queues = new Map<string, DueDownload<T>[]>();
  for (const item of due) {
    const queue = queues.get(item.taskId);
    if (queue) queue.push(item);
    else queues.set(item.taskId, [item]);
  }
  const load = new Map(running);
  const served = new Map(lastServed);
  let turn = Math.max(0, ...served.values());
  const picked: DueDownload<T>[] = [];
  while (picked.length < free) {
    let best: string | null = null;
    for (const taskId of queues.keys()) {
      if (best === null) best = taskId;
      const byLoad = (load.get(taskId) ?? 0) - (load.get(best) ?? 0);
      const byTurn = (served.get(taskId) ?? -1) - (served.get(best) ?? -1);
      if (byLoad < 0 || (byLoad === 0 && byTurn < 0)) best = taskId;
    }
    const queue = best === null ? undefined : queues.get(best);
    const next = queue?.shift();
    if (best === null || !queue || !next) break;
    if (queue.length === 0) queues.delete(best);
    picked.push(next);
    load.set(best, (load.get(best) ?? 0) + 1);
    served.set(best, ++turn);
  }
  return picked;
}
