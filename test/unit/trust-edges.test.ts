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

describe('tracks come only from record-info', () => {
  const stems = (url: string) => ({
    kind: 'progress' as const,
    stage: 'complete' as const,
    tracks: [stemTrack('drums', `${url}/d.mp3`, null, null)],
  });

  it('a (signed) callback adds no track and sets no URL, before or after the task finished', () => {
    const { store, cleanup } = createTempStore();
    temps.push(cleanup);
    const task = insertTestTask(store, { kind: 'split_stem' });
    const claimed = applyEvent(store, {
      task,
      event: stems('https://evil.example'),
      source: 'callback',
      at: 1,
    });
    expect(claimed).toMatchObject({
      to: 'submitted',
      tracksAdded: 0,
      claim: 'complete',
      needsVerification: true,
    });
    const done = applyEvent(store, {
      task,
      event: stems('https://a.example'),
      source: 'record-info',
      at: 2,
    });
    expect(done).toMatchObject({ to: 'complete', tracksAdded: 1, downloadsQueued: 1 });
    const finished = store.tasks.get(task.id);
    if (!finished) throw new Error('task missing');
    const replay = applyEvent(store, {
      task: finished,
      event: {
        ...stems('https://evil.example'),
        tracks: [stemTrack('bass', 'https://evil.example/b.mp3', null, null)],
      },
      source: 'callback',
      at: 3,
    });
    expect(replay.tracksAdded).toBe(0);
    expect(store.tracks.rowsOf(task.id).map((t) => [t.stem, t.remote_url])).toEqual([
      ['drums', 'https://a.example/d.mp3'],
    ]);
  });

  it('record-info completing a task drops takes only a callback announced (phantoms of older versions)', () => {
    const { store, cleanup } = createTempStore();
    temps.push(cleanup);
    const task = insertTestTask(store, { kind: 'split_stem' });
    store.tracks.merge(
      task.id,
      stemTrack('bass', 'https://x.example/b.mp3', null, null),
      false,
      'callback',
      1,
    );
    applyEvent(store, {
      task,
      event: stems('https://a.example'),
      source: 'record-info',
      at: 2,
    });
    expect(store.tracks.rowsOf(task.id).map((t) => t.stem)).toEqual(['drums']);
  });

  it('a failure only a callback claimed (older versions) is re-decided by record-info', () => {
    const { store, cleanup } = createTempStore();
    temps.push(cleanup);
    const task = insertTestTask(store, { kind: 'split_stem' });
    store.tasks.setState(task.id, 'failed', 1, { code: 'kie_501', message: 'forged' });
    store.tasks.addStage(task.id, 'failed', 1, 'callback');
    expect(store.tasks.failedByCallback().map((t) => t.id)).toEqual([task.id]);
    const failed = store.tasks.get(task.id);
    if (!failed) throw new Error('task missing');
    const effect = applyEvent(store, {
      task: failed,
      event: stems('https://a.example'),
      source: 'record-info',
      at: 2,
    });
    expect(effect).toMatchObject({ from: 'submitted', to: 'complete', tracksAdded: 1 });
    expect(store.tasks.view(task.id)).toMatchObject({ state: 'complete', error: null });
    expect(
      store.tasks
        .view(task.id)
        ?.stages.map((s) => s.name)
        .sort(),
    ).toEqual(['complete', 'submitted']);
    expect(store.tasks.failedByCallback()).toEqual([]);
  });
});

describe('MIDI notes come only from record-info', () => {
  const transcription = (pitch: number) => ({
    kind: 'progress' as const,
    stage: 'complete' as const,
    tracks: [],
    midi: [{ name: 'Electric Bass (finger)', notes: [{ pitch, start: 0, end: 0.5, velocity: 0.8 }] }],
  });

  it('a (signed) callback carrying notes changes nothing until record-info confirms it', () => {
    const { store, cleanup } = createTempStore();
    temps.push(cleanup);
    const task = insertTestTask(store, { kind: 'midi' });
    const forged = applyEvent(store, { task, event: transcription(99), source: 'callback', at: 1 });
    expect(forged).toMatchObject({ to: 'submitted', claim: 'complete', needsVerification: true });
    expect(store.midi.notesOf(task.id)).toBeUndefined();
    expect(store.tasks.view(task.id)).toMatchObject({ state: 'submitted', midi: null });

    // A live-stage callback with notes moves the stage, but the notes still wait for record-info.
    const early = applyEvent(store, {
      task,
      event: { ...transcription(98), stage: 'text' },
      source: 'callback',
      at: 2,
    });
    expect(early).toMatchObject({ to: 'text', needsVerification: true });
    expect(store.midi.notesOf(task.id)).toBeUndefined();

    const row = store.tasks.get(task.id);
    if (!row) throw new Error('task vanished');
    applyEvent(store, { task: row, event: transcription(40), source: 'record-info', at: 3 });
    expect(store.tasks.view(task.id)).toMatchObject({
      state: 'complete',
      midi: { instruments: [{ name: 'Electric Bass (finger)', noteCount: 1 }] },
    });
    expect(store.midi.notesOf(task.id)?.instruments[0]?.notes.map((n) => n.pitch)).toEqual([40]);
  });
});
