// When the desktop app notifies: once per task, on failure or when a complete task's downloads have
// settled, never for old news after a restart; and the badge follows the running-task count.
import { describe, expect, it } from 'vitest';
import type { TaskView, TrackView } from '../../shared/domain.ts';
import { createEventBus } from '../../electron/core/host/events.ts';
import { describeTask, watchTasks, type TaskNotice } from '../../electron/shell/task-watch.ts';

const START = 1_000_000;

function track(state: TrackView['state']): TrackView {
  return {
    id: `tr-${Math.random()}`,
    audioId: 'a',
    stem: 'vocals',
    title: null,
    state,
    localPath: null,
    durationSec: null,
    sampleRate: null,
    channels: null,
    sampleCount: null,
    isNearSilent: false,
    remoteUrl: null,
    streamUrl: null,
    error: null,
  };
}

function task(id: string, patch: Partial<TaskView>): TaskView {
  return {
    id,
    kieTaskId: `kie-${id}`,
    kind: 'separate_vocal',
    state: 'submitted',
    midi: null,
    title: 'Harbor Lights',
    sourceName: null,
    parentTaskId: null,
    parentAudioId: null,
    createdAt: START,
    updatedAt: START + 10,
    stages: [],
    error: null,
    tracks: [],
    ...patch,
  };
}

function setup() {
  const events = createEventBus();
  const tasks = new Map<string, TaskView>();
  const notices: TaskNotice[] = [];
  const badges: number[] = [];
  const watch = watchTasks({
    events,
    getTask: async (id) => tasks.get(id) ?? null,
    countRunning: async () =>
      [...tasks.values()].filter((t) => t.state !== 'complete' && t.state !== 'failed').length,
    notify: (notice) => void notices.push(notice),
    setBadge: (count) => void badges.push(count),
    now: () => START,
  });
  const change = async (view: TaskView) => {
    tasks.set(view.id, view);
    events.emit('tasks.changed', { ids: [view.id] });
    await watch.idle();
  };
  return { watch, notices, badges, change, tasks, events };
}

describe('watchTasks', () => {
  it('notifies once when a complete task has all its downloads settled', async () => {
    const { notices, change, watch } = setup();
    await change(task('t1', { state: 'submitted' }));
    await change(task('t1', { state: 'complete', tracks: [track('ready'), track('downloading')] }));
    expect(notices).toEqual([]);
    await change(task('t1', { state: 'complete', tracks: [track('ready'), track('error')] }));
    await change(task('t1', { state: 'complete', tracks: [track('ready'), track('error')] }));
    expect(notices).toEqual([
      {
        taskId: 't1',
        title: 'Ready: Harbor Lights',
        body: '1 track ready, 1 could not be downloaded.',
        isFailure: false,
      },
    ]);
    watch.close();
  });

  it('notifies a failure with KIE’s message', async () => {
    const { notices, change } = setup();
    await change(task('t2', { state: 'text', title: null, sourceName: 'vox.wav' }));
    await change(
      task('t2', {
        state: 'failed',
        title: null,
        sourceName: 'vox.wav',
        error: { code: 'kie_413', message: 'The lyrics contain existing work.' },
      }),
    );
    expect(notices).toEqual([
      { taskId: 't2', title: 'Failed: vox.wav', body: 'The lyrics contain existing work.', isFailure: true },
    ]);
  });

  it('stays quiet about tasks that finished before the app started', async () => {
    const { notices, change } = setup();
    await change(task('old', { state: 'complete', updatedAt: START - 5_000, tracks: [track('ready')] }));
    expect(notices).toEqual([]);
  });

  it('notifies again after a retry finishes', async () => {
    const { notices, change } = setup();
    await change(task('t3', { state: 'failed', error: { code: 'x', message: 'boom' } }));
    await change(task('t3', { state: 'submitted' }));
    await change(task('t3', { state: 'complete', tracks: [track('ready')] }));
    expect(notices.map((n) => n.title)).toEqual(['Failed: Harbor Lights', 'Ready: Harbor Lights']);
  });

  it('keeps the badge at the number of running tasks, and stops after close', async () => {
    const { badges, change, watch, events, tasks } = setup();
    await watch.idle();
    await change(task('a', { state: 'submitted' }));
    await change(task('b', { state: 'first' }));
    await change(task('a', { state: 'failed' }));
    expect(badges).toEqual([0, 1, 2, 1]);
    watch.close();
    tasks.set('b', task('b', { state: 'complete' }));
    events.emit('tasks.changed', { ids: ['b'] });
    await watch.idle();
    expect(badges).toEqual([0, 1, 2, 1]);
  });
});

describe('describeTask', () => {
  it('falls back to the kind when a task has no title or file name', () => {
    const text = describeTask(
      task('t', {
        state: 'complete',
        title: null,
        kind: 'split_stem',
        tracks: [track('ready'), track('ready')],
      }),
    );
    expect(text).toMatchObject({ title: 'Ready: Stem split', body: '2 tracks ready.' });
  });
});
