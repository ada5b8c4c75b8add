// Standard MIDI Files, type 1, 960 ticks per quarter note: a tempo track, then one track per
// instrument (named after it, with its General MIDI program; drum kits on channel 10). Times are
// rounded to the nearest tick; overlapping notes of one pitch are cut where the next one starts.
import type { MidiInstrument, MidiNote } from '../../../shared/midi.ts';
import { isDrumKit, programFor } from './general-midi.ts';

export const PPQ = 960;
/** Channel 10 in MIDI's 1-based numbering. */
export const DRUM_CHANNEL = 9;

export interface SmfInput {
  /** Name of the tempo track (the song title). */
  title: string;
  /** Beats per minute; 120 when the tempo is unknown (the SMF default). */
  tempoBpm: number | null;
  instruments: MidiInstrument[];
}

export function secondsToTicks(seconds: number, bpm: number): number {
  return Math.round((seconds * bpm * PPQ) / 60);
}

/** KIE's velocity 0-1 onto MIDI's 1-127 (0 would be a note-off). */
export function midiVelocity(velocity: number): number {
  return 1 + Math.round(Math.min(1, Math.max(0, velocity)) * 126);
}

function variableLength(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

function text(value: string): number[] {
  return [...Buffer.from(value, 'utf8')];
}

interface Event {
  tick: number;
  /** Note-offs sort before note-ons at the same tick, so a repeated note restarts cleanly. */
  order: number;
  bytes: number[];
}

function chunk(type: string, body: number[]): number[] {
  const length = body.length;
  return [
    ...text(type),
    length >>> 24,
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
    ...body,
  ];
}

function track(events: Event[]): number[] {
  const sorted = [...events].sort((a, b) => a.tick - b.tick || a.order - b.order);
  const body: number[] = [];
  let last = 0;
  for (const event of sorted) {
    body.push(...variableLength(event.tick - last), ...event.bytes);
    last = event.tick;
  }
  body.push(0, 0xff, 0x2f, 0x00);
  return chunk('MTrk', body);
}

function meta(tick: number, type: number, data: number[]): Event {
  return { tick, order: 0, bytes: [0xff, type, ...variableLength(data.length), ...data] };
}

/**
 * Notes in ticks with same-pitch overlaps resolved: a note still sounding when the same pitch
 * starts again ends there (one note-on per note-off on a channel), and exact duplicates are kept once.
 */
export function noteTicks(
  notes: MidiNote[],
  bpm: number,
): Array<{ pitch: number; on: number; off: number; velocity: number }> {
  const ticked = notes
    .map((n) => ({
      pitch: n.pitch,
      on: secondsToTicks(n.start, bpm),
      off: secondsToTicks(n.end, bpm),
      velocity: midiVelocity(n.velocity),
    }))
    .sort((a, b) => a.on - b.on || b.off - a.off);
  const sounding = new Map<number, { on: number; off: number }>();
  const kept: typeof ticked = [];
  for (const note of ticked) {
    const previous = sounding.get(note.pitch);
    if (previous && previous.on === note.on) continue;
    if (previous && previous.off > note.on) previous.off = note.on;
    note.off = Math.max(note.off, note.on + 1);
    sounding.set(note.pitch, note);
    kept.push(note);
  }
  return kept;
}

/** Channels 1-16 minus 10 for pitched instruments in order, channel 10 for every drum kit. */
function channelFor(index: number, isDrums: boolean): number {
  if (isDrums) return DRUM_CHANNEL;
  const channel = index % 15;
  return channel >= DRUM_CHANNEL ? channel + 1 : channel;
}

export function buildSmf(input: SmfInput): Uint8Array {
  const bpm = input.tempoBpm ?? 120;
  const microsPerQuarter = Math.round(60_000_000 / bpm);
  const tempoTrack = track([
    meta(0, 0x03, text(input.title)),
    meta(0, 0x58, [4, 2, 24, 8]),
    meta(0, 0x51, [
      (microsPerQuarter >>> 16) & 0xff,
      (microsPerQuarter >>> 8) & 0xff,
      microsPerQuarter & 0xff,
    ]),
  ]);
  let pitched = 0;
  const tracks = input.instruments.map((instrument) => {
    const isDrums = isDrumKit(instrument.name);
    const channel = channelFor(isDrums ? 0 : pitched++, isDrums);
    const events: Event[] = [meta(0, 0x03, text(instrument.name))];
    if (!isDrums) events.push({ tick: 0, order: 0, bytes: [0xc0 | channel, programFor(instrument.name)] });
    for (const note of noteTicks(instrument.notes, bpm)) {
      events.push({ tick: note.on, order: 2, bytes: [0x90 | channel, note.pitch, note.velocity] });
      events.push({ tick: note.off, order: 1, bytes: [0x80 | channel, note.pitch, 0] });
    }
    return track(events);
  });
  const header = chunk('MThd', [0, 1, 0, tracks.length + 1, PPQ >>> 8, PPQ & 0xff]);
  return Uint8Array.from([...header, ...tempoTrack, ...tracks.flat()]);
}
