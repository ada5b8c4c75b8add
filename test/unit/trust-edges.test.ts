// Edge cases found in review: unknown statuses, bare failure callbacks, and replays that try to add
// tracks to a finished task.
import { afterEach, describe, expect, it } from 'vitest';
import { parseCallback } from '../../shared/kie/callbacks.ts';
import { musicEventFromRecordInfo, separationEventFromRecordInfo } from '../../shared/kie/record-info.ts';
import { stemTrack } from '../../shared/kie/tracks.ts';
import { applyEvent } from '../../electron/core/pipeline/apply-event.ts';
import { createTempStore, insertTestTask } from '../helpers/temp-store.ts';

const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()));

describe('record-info statuses', () => {
  it('keeps a task pending on a status KIE has not documented', () => {
    expect(musicEventFromRecordInfo({ status: 'QUEUED_SOMEWHERE_NEW' })).toEqual({ kind: 'pending' });
    expect(separationEventFromRecordInfo({ successFlag: 'WARMING_UP' })).toEqual({ kind: 'pending' });
  });

  it('still fails on documented failure statuses', () => {
    expect(musicEventFromRecordInfo({ status: 'SENSITIVE_WORD_ERROR' })).toMatchObject({ kind: 'failure' });
  });
});

describe('bare failure callbacks', () => {
  it('a failure with only a task id still ends the task', () => {
    const parsed = parseCallback({ code: 500, msg: 'Internal Error', data: { task_id: 'abc' } });
    expect(parsed).toMatchObject({
      ok: true,
      value: { kieTaskId: 'abc', event: { kind: 'failure', code: 500 } },
    });
  });

  it('a success with nothing recognisable is still rejected', () => {
    expect(parseCallback({ code: 200, msg: 'ok', data: { task_id: 'abc' } }).ok).toBe(false);
  });
});

describe('finished tasks', () => {
  it('ignore new tracks announced by a (signed) callback but accept them from record-info', () => {
    const { store, cleanup } = createTempStore();
    temps.push(cleanup);
    const task = insertTestTask(store, { kind: 'split_stem' });
    const done = applyEvent(store, {
      task,
      event: {
        kind: 'progress',
        stage: 'complete',
        tracks: [stemTrack('drums', 'https://a.example/d.mp3', null, null)],
      },
      source: 'callback',
      isTrusted: true,
      at: 1,
    });
    expect(done.to).toBe('complete');
    const finished = store.tasks.get(task.id);
    if (!finished) throw new Error('task missing');
    const replay = {
      kind: 'progress' as const,
      stage: 'complete' as const,
      tracks: [stemTrack('bass', 'https://evil.example/b.mp3', null, null)],
    };
    const fromCallback = applyEvent(store, {
      task: finished,
      event: replay,
      source: 'callback',
      isTrusted: true,
      at: 2,
    });
    expect(fromCallback.tracksAdded).toBe(0);
    expect(store.tracks.rowsOf(task.id).map((t) => t.stem)).toEqual(['drums']);
    const fromRecordInfo = applyEvent(store, {
      task: finished,
      event: replay,
      source: 'record-info',
      isTrusted: true,
      at: 3,
    });
    expect(fromRecordInfo.tracksAdded).toBe(1);
  });
});
