// Decides when the desktop app tells the user about a task: once when it fails, once when it is
// complete and its downloads have settled, never for tasks that finished before the app started;
// and keeps the running-task count for the dock/taskbar badge.
import type { Events } from '../../shared/api.ts';
import type { TaskKind, TaskView } from '../../shared/domain.ts';
import type { Emitter } from '../../shared/emitter.ts';

export interface TaskNotice {
  taskId: string;
  title: string;
  body: string;
  isFailure: boolean;
}

export interface TaskWatchDeps {
  events: Pick<Emitter<Events>, 'onAny'>;
  getTask(id: string): Promise<TaskView | null>;
  countRunning(): Promise<number>;
  notify(notice: TaskNotice): void;
  setBadge(count: number): void;
  now?: () => number;
}

const KIND_LABELS: Partial<Record<TaskKind, string>> = {
  'add-instrumental': 'Add instrumental',
  'add-vocals': 'Add vocals',
  separate_vocal: 'Vocal separation',
  split_stem: 'Stem split',
};

export function isSettled(task: TaskView): boolean {
  if (task.state === 'failed') return true;
  return task.state === 'complete' && task.tracks.every((t) => t.state === 'ready' || t.state === 'error');
}

export function describeTask(task: TaskView): TaskNotice {
  const name = task.title ?? task.sourceName ?? KIND_LABELS[task.kind] ?? task.kind;
  if (task.state === 'failed') {
    return {
      taskId: task.id,
      title: `Failed: ${name}`,
      body: task.error?.message ?? 'KIE reported a failure.',
      isFailure: true,
    };
  }
  const ready = task.tracks.filter((t) => t.state === 'ready').length;
  const broken = task.tracks.length - ready;
  const body = `${ready} track${ready === 1 ? '' : 's'} ready${broken ? `, ${broken} could not be downloaded` : ''}.`;
  return { taskId: task.id, title: `Ready: ${name}`, body, isFailure: false };
}

export function watchTasks(deps: TaskWatchDeps): { idle(): Promise<void>; close(): void } {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const isActive = new Set<string>();
  const isDone = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let isClosed = false;

  async function look(id: string): Promise<void> {
    const task = await deps.getTask(id).catch(() => null);
    if (!task) return;
    if (!isSettled(task)) {
      isActive.add(id);
      isDone.delete(id);
      return;
    }
    // Unseen tasks count only if they changed since start (a restart must not replay old news).
    const isNews = isActive.has(id) || task.updatedAt >= startedAt;
    isActive.delete(id);
    if (isNews && !isDone.has(id)) deps.notify(describeTask(task));
    isDone.add(id);
  }

  const refreshBadge = async (): Promise<void> => {
    const count = await deps.countRunning().catch(() => null);
    if (count !== null && !isClosed) deps.setBadge(count);
  };
  const enqueue = (work: () => Promise<void>): void => {
    chain = chain.then(() => (isClosed ? undefined : work())).catch(() => undefined);
  };

  enqueue(refreshBadge);
  const off = deps.events.onAny((name, payload) => {
    if (name !== 'tasks.changed' && name !== 'downloads.changed') return;
    const ids = name === 'tasks.changed' ? (payload as Events['tasks.changed']).ids : [];
    enqueue(async () => {
      for (const id of ids) await look(id);
      await refreshBadge();
    });
  });
  return {
    idle: () => chain,
    close(): void {
      isClosed = true;
      off();
    },
  };
}
