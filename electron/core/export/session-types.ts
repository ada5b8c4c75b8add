// What a DAW session file needs to know about an export: one track per stem, its WAV (a name in
// the session's own folder), its mix settings, and the song's tempo when known.

export interface SessionTrack {
  name: string;
  /** File name of the exported WAV, in the same folder as the session file. */
  fileName: string;
  channels: number;
  sampleRate: number;
  frames: number;
  gainDb: number;
  isMuted: boolean;
  isSoloed: boolean;
  color: string;
}

/** A transcribed instrument: a note track placed right under the audio track of its stem. */
export interface SessionMidiTrack {
  name: string;
  /** File name of the exported `.mid`, in the same folder as the session file. */
  fileName: string;
  /** Index in `tracks` of the stem's audio track. */
  underTrack: number;
  /** MIDI channel 0-15 (9 for drum kits), as in the `.mid` file. */
  channel: number;
  seconds: number;
  notes: Array<{ pitch: number; start: number; end: number; velocity: number }>;
  color: string;
}

export interface SessionInput {
  title: string;
  tempoBpm: number | null;
  sampleRate: number;
  tracks: SessionTrack[];
  midiTracks: SessionMidiTrack[];
  appVersion: string;
  comment: string;
  /** Song sections from the take's lyrics ([Verse], [Chorus] …), as named markers. */
  markers: SessionMarker[];
}

export interface SessionMarker {
  name: string;
  timeSec: number;
}

/** One colour per stem kind, so a session opens looking like the studio. */
export const STEM_COLORS: Record<string, string> = {
  take: '#8fa7ff',
  vocals: '#ff7a90',
  backing_vocals: '#ffa3b5',
  instrumental: '#7fd6a8',
  drums: '#ffb35c',
  bass: '#c58bff',
  guitar: '#ffd866',
  keyboard: '#6fd3ff',
  percussion: '#ff9f43',
  strings: '#a3e36b',
  synth: '#5ce1e6',
  fx: '#b0b0b0',
  brass: '#e6c34d',
  woodwinds: '#9ccf8a',
  mix: '#ffffff',
  residual: '#9a9a9a',
};

export function dbToLinear(db: number): number {
  return 10 ** (db / 20);
}

/** Shortest text that round-trips, without exponent notation (XML and RPP readers both accept it). */
export function formatNumber(value: number, digits = 6): string {
  if (!Number.isFinite(value)) return '0';
  const fixed = value.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
