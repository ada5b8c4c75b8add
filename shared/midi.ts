// Transcribed notes as Stemhook keeps them (seconds, velocity 0-1), and which stem lane an
// instrument KIE names belongs to.
import type { StemName } from './domain.ts';

export interface MidiNote {
  /** MIDI note number 0-127. */
  pitch: number;
  /** Seconds from the start of the stem. */
  start: number;
  end: number;
  /** 0-1, as KIE reports it. */
  velocity: number;
}

export interface MidiInstrument {
  name: string;
  notes: MidiNote[];
}

/** What `midi.notes` answers: every instrument of one MIDI task with its stem lane. */
export interface MidiNotesView {
  taskId: string;
  instruments: Array<MidiInstrument & { stem: StemName | null }>;
}

// Checked in order: the first keyword found in the lower-cased instrument name decides.
const STEM_KEYWORDS: Array<[string, StemName]> = [
  ['backing', 'backing_vocals'],
  ['choir', 'backing_vocals'],
  ['vocal', 'vocals'],
  ['voice', 'vocals'],
  ['percussion', 'percussion'],
  ['shaker', 'percussion'],
  ['tambourine', 'percussion'],
  ['drum', 'drums'],
  ['bass', 'bass'],
  ['guitar', 'guitar'],
  ['piano', 'keyboard'],
  ['keyboard', 'keyboard'],
  ['organ', 'keyboard'],
  ['string', 'strings'],
  ['violin', 'strings'],
  ['cello', 'strings'],
  ['brass', 'brass'],
  ['trumpet', 'brass'],
  ['horn', 'brass'],
  ['flute', 'woodwinds'],
  ['clarinet', 'woodwinds'],
  ['sax', 'woodwinds'],
  ['oboe', 'woodwinds'],
  ['synth', 'synth'],
  ['lead', 'synth'],
  ['pad', 'synth'],
];

/**
 * The stem lane of an instrument KIE named, among the stems the separation has. Without a keyword
 * match the only non-vocal stem of a two-stem split (the instrumental) takes it.
 */
export function stemForInstrument(name: string, stems: readonly StemName[]): StemName | null {
  const lower = name.toLowerCase();
  const hit = STEM_KEYWORDS.find(([word]) => lower.includes(word))?.[1];
  if (hit && stems.includes(hit)) return hit;
  const isVocal = hit === 'vocals' || hit === 'backing_vocals';
  if (!isVocal && stems.includes('instrumental')) return 'instrumental';
  return null;
}
