// The simulator's timestamped lyrics (kie-api.md §7.3): one word per note of the synthetic lead vocal,
// one line per phrase, a section tag at each phrase start, so marker times match the audio exactly.
import { createRandom, hashSeed } from './ids.ts';
import { planSong } from './synth-plan.ts';
import { vocalNotes } from './synth-melodic.ts';

export interface SimAlignedWord {
  word: string;
  success: boolean;
  startS: number;
  endS: number;
  palign: number;
}

/** One section per phrase, in song order (a 20 s take has two or three phrases). */
export const SIM_SECTIONS = ['Verse', 'Chorus', 'Verse', 'Chorus', 'Bridge', 'Chorus', 'Outro'] as const;

const VOCABULARY = [
  'night',
  'light',
  'run',
  'home',
  'fire',
  'rain',
  'heart',
  'gold',
  'wave',
  'road',
  'dream',
  'sky',
  'hold',
  'on',
  'now',
  'stay',
  'fall',
  'rise',
  'burn',
  'slow',
];

/** Every seventh word is reported as not aligned (`success: false`), like KIE's weaker matches. */
const UNALIGNED_EVERY = 7;

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

export function syntheticLyrics(seed: number, durationSec: number): SimAlignedWord[] {
  const plan = planSong(seed, durationSec);
  // The same random stream renderStem gives the vocal generator, so the notes are the sung ones.
  const notes = vocalNotes(plan, createRandom(hashSeed('stem', seed, 'vocals')));
  const pick = createRandom(hashSeed('lyrics', seed));
  let lastPhrase = -1;
  return notes
    .filter((note) => note.start < durationSec)
    .map((note, index) => {
      const phrase = Math.floor(note.bar / 4);
      let text = VOCABULARY[Math.floor(pick() * VOCABULARY.length)] ?? 'la';
      if (phrase !== lastPhrase) {
        const section = SIM_SECTIONS[phrase % SIM_SECTIONS.length];
        text = `${index === 0 ? '' : '\n'}[${section}]\n${text[0]?.toUpperCase()}${text.slice(1)}`;
        lastPhrase = phrase;
      }
      const success = index % UNALIGNED_EVERY !== UNALIGNED_EVERY - 1;
      return {
        word: `${text} `,
        success,
        startS: round(note.start),
        endS: round(Math.min(durationSec, note.start + note.dur)),
        palign: success ? 0 : 1,
      };
    });
}
