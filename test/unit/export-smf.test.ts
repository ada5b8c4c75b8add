// The SMF writer read back by an independent reader: type 1 at 960 PPQ, tempo track, one named
// track per instrument with its GM program, drums on channel 10, velocities 1-127, times within one
// tick of KIE's seconds, and a re-struck pitch that overlaps itself kept as two clean notes.
import { describe, expect, it } from 'vitest';
import { programFor, isDrumKit } from '../../electron/core/export/general-midi.ts';
import { resolveKey, resolveTempo } from '../../electron/core/export/musical-facts.ts';
import { buildSmf, PPQ } from '../../electron/core/export/smf.ts';
import type { SongAnalysis } from '../../shared/song-analysis.ts';
import type { MidiInstrument } from '../../shared/midi.ts';
import { readSmf } from '../helpers/smf-reader.ts';

const BPM = 92;
const tickOf = (seconds: number) => (seconds * BPM * PPQ) / 60;

const bass: MidiInstrument = {
  name: 'Electric Bass (finger)',
  notes: [
    { pitch: 40, start: 0, end: 0.61, velocity: 1 },
    { pitch: 43, start: 0.652173, end: 1.1, velocity: 0.5 },
    { pitch: 45, start: 1.3043478, end: 1.9, velocity: 0 },
  ],
};
const drums: MidiInstrument = {
  name: 'Drums',
  notes: [
    { pitch: 36, start: 0, end: 0.45, velocity: 1 },
    { pitch: 38, start: 0.6521739, end: 0.9, velocity: 0.55 },
  ],
};

describe('General MIDI from instrument names', () => {
  it.each([
    ['Electric Bass (finger)', 33],
    ['Acoustic Grand Piano', 0],
    ['String Ensemble 1', 48],
    ['Lead 1 (square)', 80],
    ['Fat synth bass', 33],
    ['Something unheard of', 0],
  ])('%s → program %i', (name, program) => expect(programFor(name)).toBe(program));

  it('puts kits on channel 10 but keeps melodic "drums" (Steel Drums) pitched', () => {
    expect(isDrumKit('Drums')).toBe(true);
    expect(isDrumKit('Percussion')).toBe(true);
    expect(isDrumKit('Steel Drums')).toBe(false);
  });
});

describe('Standard MIDI File writer', () => {
  const file = readSmf(buildSmf({ title: 'Night Drive', tempoBpm: BPM, instruments: [bass, drums] }));

  it('writes type 1 at 960 PPQ with a tempo track and one named track per instrument', () => {
    expect(file.format).toBe(1);
    expect(file.ppq).toBe(960);
    expect(file.tracks.map((t) => t.name)).toEqual(['Night Drive', 'Electric Bass (finger)', 'Drums']);
    expect(file.tracks[0]?.tempos).toEqual([Math.round(60_000_000 / BPM)]);
    expect(file.tracks[0]?.notes).toEqual([]);
  });

  it('gives the bass program 33 on a pitched channel and the drums channel 10 without a program', () => {
    const [, bassTrack, drumTrack] = file.tracks;
    expect(bassTrack?.programs).toEqual([{ channel: 0, program: 33 }]);
    expect(drumTrack?.programs).toEqual([]);
    expect(new Set(drumTrack?.notes.map((n) => n.channel))).toEqual(new Set([9]));
  });

  it('keeps every note, its pitch, and its times within one tick of the seconds', () => {
    for (const [index, instrument] of [bass, drums].entries()) {
      const read = file.tracks[index + 1];
      expect(read?.unmatched).toBe(0);
      expect(read?.notes.map((n) => n.pitch)).toEqual(instrument.notes.map((n) => n.pitch));
      read?.notes.forEach((n, i) => {
        const note = instrument.notes[i];
        expect(Math.abs(n.startTick - tickOf(note?.start ?? NaN))).toBeLessThanOrEqual(1);
        expect(Math.abs(n.endTick - tickOf(note?.end ?? NaN))).toBeLessThanOrEqual(1);
      });
    }
  });

  it('maps velocity 0-1 onto 1-127', () => {
    expect(file.tracks[1]?.notes.map((n) => n.velocity)).toEqual([127, 64, 1]);
  });

  it('cuts a note where the same pitch starts again, and keeps an exact duplicate once', () => {
    const overlapping: MidiInstrument = {
      name: 'Acoustic Grand Piano',
      notes: [
        { pitch: 60, start: 0, end: 1, velocity: 0.8 },
        { pitch: 60, start: 0.5, end: 1.5, velocity: 0.8 },
        { pitch: 60, start: 0.5, end: 1.5, velocity: 0.8 },
        { pitch: 64, start: 0.25, end: 0.75, velocity: 0.8 },
      ],
    };
    const read = readSmf(buildSmf({ title: 't', tempoBpm: 120, instruments: [overlapping] })).tracks[1];
    expect(read?.unmatched).toBe(0);
    expect(read?.notes.map((n) => [n.pitch, n.startTick, n.endTick])).toEqual([
      [60, 0, 960],
      [64, 480, 1440],
      [60, 960, 2880],
    ]);
  });

  it('writes 120 BPM when the tempo is unknown', () => {
    const read = readSmf(buildSmf({ title: 't', tempoBpm: null, instruments: [] }));
    expect(read.tracks).toHaveLength(1);
    expect(read.tracks[0]?.tempos).toEqual([500_000]);
  });
});

describe('the tempo and key a MIDI file, the sessions and provenance are written with', () => {
  const detected: SongAnalysis = {
    tempo: { bpm: 101.5, detectedBpm: 101.5, confidence: 0.8, firstBeatSec: 0.12, isCorrected: false },
    tempoTrackId: 'stem',
    key: { tonic: 2, mode: 'major', name: 'D major', detected: null, confidence: 0.6, isCorrected: false },
    keyTrackId: 'stem',
  };
  const corrected: SongAnalysis = {
    ...detected,
    tempo: { bpm: 90, detectedBpm: 101.5, confidence: 0.8, firstBeatSec: 0.12, isCorrected: true },
    key: {
      tonic: 9,
      mode: 'minor',
      name: 'A minor',
      detected: { tonic: 2, mode: 'major' },
      confidence: 0.6,
      isCorrected: true,
    },
  };
  const none: SongAnalysis = { tempo: null, tempoTrackId: null, key: null, keyTrackId: null };
  const tags = ['synthwave, 96 bpm'];

  it('takes the export option, then a correction, then the detection, then the style tags', () => {
    expect(resolveTempo({ override: 120, analysis: corrected, tagTexts: tags })).toMatchObject({
      bpm: 120,
      detectedBpm: 101.5,
      isCorrected: true,
      source: 'export-option',
    });
    expect(resolveTempo({ analysis: corrected, tagTexts: tags })).toMatchObject({
      bpm: 90,
      source: 'correction',
    });
    expect(resolveTempo({ analysis: detected, tagTexts: tags })).toMatchObject({
      bpm: 101.5,
      confidence: 0.8,
      firstBeatSec: 0.12,
      isCorrected: false,
      source: 'detection',
    });
    expect(resolveTempo({ analysis: none, tagTexts: tags })).toMatchObject({ bpm: 96, source: 'style-tags' });
    expect(resolveTempo({ analysis: none, tagTexts: ['dub'] })).toMatchObject({ bpm: null, source: null });
  });

  it('names the key from the analysis, keeping the detection beside a correction', () => {
    expect(resolveKey(corrected)).toEqual({
      name: 'A minor',
      detected: 'D major',
      confidence: 0.6,
      isCorrected: true,
      source: 'correction',
    });
    expect(resolveKey(detected)).toMatchObject({ name: 'D major', source: 'detection' });
    expect(resolveKey(none)).toEqual({
      name: null,
      detected: null,
      confidence: null,
      isCorrected: false,
      source: null,
    });
  });
});
