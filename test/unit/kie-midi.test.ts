// KIE's MIDI payloads (kie-api.md §7.2) normalised: both callback shapes, times as numbers or
// strings, an empty or missing instrument list, failures (with data or with data null), and
// record-info's integer successFlag; instruments placed on stem lanes by name.
import { describe, expect, it } from 'vitest';
import { callbackTaskId, parseCallback } from '../../shared/kie/callbacks.ts';
import { midiEventFromRecordInfo } from '../../shared/kie/midi.ts';
import { stemForInstrument } from '../../shared/midi.ts';

const NOTES = [
  { pitch: 38, start: 0.5, end: '0.62', velocity: 1 },
  { pitch: '40', start: '1.25', end: 1.5, velocity: 0.5 },
];

describe('MIDI callbacks', () => {
  it.each([
    [
      'task_id at the top (EN page)',
      {
        task_id: 'm1',
        code: 200,
        msg: 'success',
        data: { state: 'complete', instruments: [{ name: 'Drums', notes: NOTES }] },
      },
    ],
    [
      'taskId inside data (CN page)',
      {
        code: 200,
        msg: 'success',
        data: { taskId: 'm1', state: 'complete', instruments: [{ name: 'Drums', notes: NOTES }] },
      },
    ],
  ])('reads %s with numeric and string times', (_label, body) => {
    expect(callbackTaskId(body)).toBe('m1');
    const parsed = parseCallback(body);
    expect(parsed).toEqual({
      ok: true,
      value: {
        kieTaskId: 'm1',
        family: 'midi',
        event: {
          kind: 'progress',
          stage: 'complete',
          tracks: [],
          midi: [
            {
              name: 'Drums',
              notes: [
                { pitch: 38, start: 0.5, end: 0.62, velocity: 1 },
                { pitch: 40, start: 1.25, end: 1.5, velocity: 0.5 },
              ],
            },
          ],
        },
      },
    });
  });

  it.each([
    ['an empty list', { state: 'complete', instruments: [] }],
    ['no list at all', { state: 'complete' }],
  ])('treats %s as finished with no notes', (_label, data) => {
    const parsed = parseCallback({ task_id: 'm2', code: 200, msg: 'success', data });
    expect(parsed.ok && parsed.value.event).toEqual({
      kind: 'progress',
      stage: 'complete',
      tracks: [],
      midi: [],
    });
  });

  it('drops notes it cannot place (no pitch, pitch out of range, end before start)', () => {
    const parsed = parseCallback({
      task_id: 'm3',
      code: 200,
      data: {
        state: 'complete',
        instruments: [
          {
            name: 'Bass',
            notes: [
              { start: 0, end: 1 },
              { pitch: 200, start: 0, end: 1 },
              { pitch: 40, start: 2, end: 1 },
            ],
          },
        ],
      },
    });
    expect(parsed.ok && parsed.value.event).toMatchObject({ midi: [{ name: 'Bass', notes: [] }] });
  });

  it.each([
    ['with data', { task_id: 'm4', code: 500, msg: 'Internal Error', data: { state: 'failed' } }],
    ['with data null', { task_id: 'm4', code: 500, msg: 'Internal Error', data: null }],
    ['inside data', { code: 500, msg: 'Internal Error', data: { taskId: 'm4', state: 'failed' } }],
  ])('ends the task on a failure code %s', (_label, body) => {
    const parsed = parseCallback(body);
    expect(parsed.ok && parsed.value).toMatchObject({
      kieTaskId: 'm4',
      event: { kind: 'failure', code: 500, message: expect.stringMatching(/internal error/i) },
    });
  });
});

describe('MIDI record-info', () => {
  const info = (fields: Record<string, unknown>) => ({ taskId: 'm5', recordTaskId: -1, ...fields });

  it('is pending at successFlag 0 and complete with the notes at 1', () => {
    expect(midiEventFromRecordInfo(info({ successFlag: 0, midiData: null }))).toEqual({ kind: 'pending' });
    expect(
      midiEventFromRecordInfo(
        info({
          successFlag: 1,
          midiData: { state: 'complete', instruments: [{ name: 'Drums', notes: NOTES }] },
        }),
      ),
    ).toMatchObject({
      kind: 'progress',
      stage: 'complete',
      midi: [{ name: 'Drums', notes: [{ pitch: 38 }, { pitch: 40 }] }],
    });
  });

  it.each([
    [2, /could not create/],
    [3, /failed to transcribe/],
  ])('fails at successFlag %i with a plain message', (flag, message) => {
    expect(
      midiEventFromRecordInfo(info({ successFlag: flag, errorCode: null, errorMessage: null })),
    ).toMatchObject({
      kind: 'failure',
      message: expect.stringMatching(message),
    });
  });

  it('keeps an unknown flag pending rather than failing the task', () => {
    expect(midiEventFromRecordInfo(info({ successFlag: 9 }))).toEqual({ kind: 'pending' });
  });
});

describe('instrument → stem lane', () => {
  const split = ['vocals', 'backing_vocals', 'drums', 'bass', 'guitar', 'keyboard', 'synth'] as const;
  it.each([
    ['Electric Bass (finger)', 'bass'],
    ['Drums', 'drums'],
    ['Acoustic Grand Piano', 'keyboard'],
    ['Choir Aahs', 'backing_vocals'],
    ['Lead Vocals', 'vocals'],
    ['Lead 1 (square)', 'synth'],
    ['Theremin', null],
  ])('%s → %s on a 12-stem split', (name, stem) => expect(stemForInstrument(name, split)).toBe(stem));

  it('puts everything but vocals on the instrumental of a two-stem split', () => {
    expect(stemForInstrument('Drums', ['vocals', 'instrumental'])).toBe('instrumental');
    expect(stemForInstrument('Theremin', ['vocals', 'instrumental'])).toBe('instrumental');
    expect(stemForInstrument('Lead Vocals', ['vocals', 'instrumental'])).toBe('vocals');
  });
});
