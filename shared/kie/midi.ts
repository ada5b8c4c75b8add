// Parses KIE's MIDI callbacks (task id at the top level or inside data) and MIDI record-info
// (integer successFlag) into the same events as every other kind (kie-api.md §7.2). Pure.
import type { MidiInstrument, MidiNote } from '../midi.ts';
import { describeTaskFailure } from './failure-messages.ts';
import { isRecord, num, str, type KieEvent } from './tracks.ts';

/** A callback or record-info `midiData` object: `{ state, instruments: [{ name, notes }] }`. */
export function instrumentsOf(midiData: unknown): MidiInstrument[] {
  if (!isRecord(midiData) || !Array.isArray(midiData.instruments)) return [];
  return midiData.instruments.filter(isRecord).map((item, index) => ({
    name: str(item.name) ?? `Instrument ${index + 1}`,
    notes: (Array.isArray(item.notes) ? item.notes : []).map(noteOf).filter((n): n is MidiNote => n !== null),
  }));
}

/** `start`/`end` come as numbers or strings; a note without a usable pitch or time is dropped. */
function noteOf(raw: unknown): MidiNote | null {
  if (!isRecord(raw)) return null;
  const pitch = num(raw.pitch);
  const start = num(raw.start);
  const end = num(raw.end);
  if (pitch === null || start === null || end === null) return null;
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 127 || start < 0 || end < start) return null;
  const velocity = num(raw.velocity);
  return { pitch, start, end, velocity: velocity === null ? 0.8 : Math.min(1, Math.max(0, velocity)) };
}

/** True for a MIDI callback body: it carries `data.state` or `data.instruments`/`midiData`. */
export function isMidiCallbackData(data: Record<string, unknown>): boolean {
  return (
    'instruments' in data ||
    'midiData' in data ||
    (typeof data.state === 'string' && !('callbackType' in data))
  );
}

export function midiEventFromCallback(
  code: number,
  msg: string | null,
  data: Record<string, unknown>,
): KieEvent {
  if (code !== 200)
    return { kind: 'failure', code, message: describeTaskFailure(code, str(data.error) ?? msg) };
  const midiData = isRecord(data.midiData) ? data.midiData : data;
  return { kind: 'progress', stage: 'complete', tracks: [], midi: instrumentsOf(midiData) };
}

const MIDI_FAILURES: Record<number, string> = {
  2: 'KIE could not create the MIDI task.',
  3: 'KIE failed to transcribe the stems to MIDI.',
};

export function midiEventFromRecordInfo(data: unknown): KieEvent {
  if (!isRecord(data)) return { kind: 'pending' };
  // Documented as an integer; accept a numeric string too.
  const flag = num(data.successFlag);
  if (flag === 1)
    return { kind: 'progress', stage: 'complete', tracks: [], midi: instrumentsOf(data.midiData) };
  const failure = flag === null ? undefined : MIDI_FAILURES[flag];
  if (!failure) return { kind: 'pending' };
  const code = num(data.errorCode);
  const message = str(data.errorMessage) ?? failure;
  return { kind: 'failure', code, message: describeTaskFailure(code === 200 ? null : code, message) };
}
