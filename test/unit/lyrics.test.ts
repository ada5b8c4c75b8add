// Lyrics logic without I/O: KIE's aligned words into lines and sections (tags, line breaks,
// unaligned words), the word under the playhead, section stepping, LRC out and back, the
// normaliser's tolerance for malformed words, and where the studio puts lyrics lanes.
import { describe, expect, it } from 'vitest';
import type { TaskView, TrackView } from '../../shared/domain.ts';
import { alignedWordsFrom } from '../../shared/kie/lyrics.ts';
import {
  adjacentSection,
  analyseLyrics,
  buildLrc,
  parseLrc,
  wordAt,
  type AlignedWord,
} from '../../shared/lyrics.ts';
import { buildLanes } from '../../renderer/src/studio/lanes.ts';
import { lyricsPlacements, rulerSections } from '../../renderer/src/studio/lyrics-lanes.ts';
import { makeTrackView } from '../helpers/task.ts';

const WORDS: AlignedWord[] = [
  { text: '[Intro]\n', startSec: 0.5, endSec: 0.5, isAligned: true },
  { text: "[Verse]\nWaggin' ", startSec: 1.36, endSec: 1.79, isAligned: true },
  { text: 'tails ', startSec: 1.8, endSec: 2.2, isAligned: false },
  { text: 'high\n', startSec: 2.2, endSec: 3, isAligned: true },
  { text: 'Running ', startSec: 4, endSec: 4.5, isAligned: true },
  { text: 'home\n\n[Chorus]\nOh ', startSec: 4.5, endSec: 5, isAligned: true },
  { text: 'oh', startSec: 10, endSec: 11, isAligned: true },
];

describe('lyrics analysis', () => {
  it('splits lines at line breaks and tags, and turns tags into sections ending at the next one', () => {
    const { lines, sections } = analyseLyrics(WORDS, 30);
    expect(lines.map((l) => l.text)).toEqual(["Waggin' tails high", 'Running home', 'Oh oh']);
    expect(lines[0]).toMatchObject({ startSec: 1.36, endSec: 3 });
    expect(lines[0]?.words[1]).toMatchObject({ text: 'tails', isAligned: false });
    expect(sections).toEqual([
      { name: 'Intro', startSec: 0.5, endSec: 1.36 },
      { name: 'Verse', startSec: 1.36, endSec: 4.5 },
      { name: 'Chorus', startSec: 4.5, endSec: 30 },
    ]);
    // Without a known duration the last section ends with the last word.
    expect(analyseLyrics(WORDS, null).sections.at(-1)?.endSec).toBe(11);
    expect(analyseLyrics([], 30)).toEqual({ lines: [], sections: [] });
  });

  it('finds the sung word, never an unaligned one', () => {
    const { lines } = analyseLyrics(WORDS, 30);
    expect(wordAt(lines, 1.5)).toEqual([0, 0]);
    expect(wordAt(lines, 2)).toBeNull();
    expect(wordAt(lines, 10.5)).toEqual([2, 1]);
    expect(wordAt(lines, 7)).toBeNull();
  });

  it('steps to the previous and next section start', () => {
    const { sections } = analyseLyrics(WORDS, 30);
    expect(adjacentSection(sections, 0, 1)?.name).toBe('Intro');
    expect(adjacentSection(sections, 1.36, 1)?.name).toBe('Chorus');
    // Just after a section start, "previous" goes to the section before it, not back to the same one.
    expect(adjacentSection(sections, 4.6, -1)?.name).toBe('Verse');
    expect(adjacentSection(sections, 6, -1)?.name).toBe('Chorus');
    expect(adjacentSection(sections, 20, 1)).toBeNull();
    expect(adjacentSection([], 3, -1)).toBeNull();
  });

  it('writes line-synced LRC that parses back to the same lines and times', () => {
    const { lines } = analyseLyrics(WORDS, 30);
    const text = buildLrc('Harbor\nLights', lines, 75.5);
    expect(text.split('\n')[0]).toBe('[ti:Harbor Lights]');
    const parsed = parseLrc(text);
    expect(parsed.tags).toMatchObject({ ti: 'Harbor Lights', length: '01:15' });
    expect(parsed.lines).toEqual([
      { timeSec: 1.36, text: "Waggin' tails high" },
      { timeSec: 4, text: 'Running home' },
      { timeSec: 4.5, text: 'Oh oh' },
    ]);
    expect(text).toContain('[00:01.36]');
  });
});

describe("KIE's aligned words", () => {
  it('keeps well-formed words in time order and drops malformed ones', () => {
    const words = alignedWordsFrom({
      alignedWords: [
        { word: 'b', success: true, startS: 2, endS: 2.5, palign: 0 },
        { word: 'a', success: false, startS: '1', endS: 1.5 },
        { word: 'no time', success: true },
        { word: 42, startS: 1, endS: 2 },
        { word: 'backwards', startS: 3, endS: 2 },
        null,
      ],
      waveformData: [],
    });
    expect(words).toEqual([
      { text: 'a', startSec: 1, endSec: 1.5, isAligned: false },
      { text: 'b', startSec: 2, endSec: 2.5, isAligned: true },
      { text: 'backwards', startSec: 3, endSec: 3, isAligned: true },
    ]);
    expect(alignedWordsFrom(null)).toEqual([]);
    expect(alignedWordsFrom({ alignedWords: 'x' })).toEqual([]);
  });
});

function take(id: string, audioId: string, lyrics: TrackView['lyrics']): TrackView {
  return makeTrackView({
    id,
    audioId,
    durationSec: 20,
    sampleRate: 44100,
    channels: 2,
    sampleCount: 882000,
    lyrics,
  });
}

function view(fields: Partial<TaskView>): TaskView {
  return {
    id: 'music',
    kieTaskId: 'kie',
    kind: 'add-vocals',
    state: 'complete',
    midi: null,
    title: 'T',
    sourceName: null,
    parentTaskId: null,
    parentAudioId: null,
    createdAt: 1,
    updatedAt: 1,
    stages: [],
    error: null,
    tracks: [],
    ...fields,
  };
}

describe('studio lyrics lanes', () => {
  const verse = [{ name: 'Verse', startSec: 0, endSec: 9 }];
  const chorus = [{ name: 'Chorus', startSec: 3, endSec: 20 }];
  const music = view({
    tracks: [
      take('t1', 'a1', { state: 'found', sections: verse }),
      take('t2', 'a2', { state: 'none', sections: [] }),
      take('t3', 'a3', { state: 'pending', sections: [] }),
    ],
  });

  it('puts a lane under each take with (or still waiting for) lyrics, none for "no lyrics"', () => {
    const placements = lyricsPlacements(buildLanes(music, null), music, null);
    expect(placements.map((p) => [p.laneId, p.side, p.takeName])).toEqual([
      ['t1', 'after', 'Take 1'],
      ['t3', 'after', 'Take 3'],
    ]);
    expect(rulerSections(placements, null)).toEqual(verse);
  });

  it("puts the parent take's lyrics above the vocal stem of a split", () => {
    const parent = view({
      tracks: [
        take('t1', 'a1', { state: 'found', sections: verse }),
        take('t2', 'a2', { state: 'found', sections: chorus }),
      ],
    });
    const stem = { ...take('v', '', undefined), stem: 'vocals' as const, audioId: null };
    const split = view({
      id: 'split',
      kind: 'split_stem',
      parentTaskId: 'music',
      parentAudioId: 'a2',
      tracks: [stem],
    });
    const placements = lyricsPlacements(buildLanes(split, parent), split, parent);
    expect(placements).toEqual([
      {
        laneId: 'v',
        side: 'before',
        takeTrackId: 't2',
        takeTaskId: 'music',
        takeName: 'Take 2',
        sections: chorus,
      },
    ]);
    expect(rulerSections(placements, 'v')).toEqual(chorus);
  });
});
