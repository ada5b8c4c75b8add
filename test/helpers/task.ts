// Builders for the task and track literals tests need: a store row to insert, and the views the UI gets.
import { randomUUID } from 'node:crypto';
import type { TaskView, TrackView } from '../../shared/domain.ts';
import type { Store } from '../../electron/core/store/index.ts';

/** What `store.tasks.insert` takes (named from the store's face, wherever the store declares it). */
type NewTask = Parameters<Store['tasks']['insert']>[0];

/** A KIE-style task id: 32 hex characters, fresh on every call. */
export const newKieTaskId = (): string => randomUUID().replace(/-/g, '');

/** A task row for `store.tasks.insert`: a submitted add-instrumental task created now, unless overridden. */
export function makeTask(overrides: Partial<NewTask> = {}): NewTask {
  return {
    id: randomUUID(),
    kie_task_id: newKieTaskId(),
    kind: 'add-instrumental',
    title: null,
    source_name: null,
    source_path: null,
    source_sha256: null,
    params: '{}',
    parent_task_id: null,
    parent_audio_id: null,
    callback_url: null,
    created_at: Date.now(),
    next_poll_at: null,
    ...overrides,
  };
}

/** A task as `tasks.get` returns it: a complete add-instrumental task with no tracks, unless overridden. */
export function makeTaskView(overrides: Partial<TaskView> = {}): TaskView {
  return {
    id: 'task',
    kieTaskId: 'kie',
    kind: 'add-instrumental',
    state: 'complete',
    midi: null,
    title: 'Harbor Lights',
    sourceName: null,
    parentTaskId: null,
    parentAudioId: null,
    createdAt: 1000,
    updatedAt: 1000,
    stages: [],
    error: null,
    tracks: [],
    ...overrides,
  };
}

/** A track as the views carry it: a ready take with no audio facts, unless overridden. */
export function makeTrackView(overrides: Partial<TrackView> = {}): TrackView {
  return {
    id: 'track',
    audioId: null,
    stem: 'take',
    title: null,
    state: 'ready',
    localPath: null,
    durationSec: null,
    sampleRate: null,
    channels: null,
    sampleCount: null,
    isNearSilent: false,
    remoteUrl: null,
    streamUrl: null,
    error: null,
    analysis: null,
    tempo: null,
    key: null,
    ...overrides,
  };
}
