// DAW sessions: the DAWproject validates against the format's published schemas (xmllint) and
// names every stem's WAV; the REAPER project parses and has one track per stem at position 0; both
// carry the song's sections as named markers that read back at their times.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildDawProject, escapeXml } from '../../electron/core/export/dawproject.ts';
import { buildRpp, quoteRpp } from '../../electron/core/export/rpp.ts';
import type { SessionInput } from '../../electron/core/export/session-types.ts';
import { hasXmllint, validateDawXml } from '../helpers/dawproject-schema.ts';

function session(overrides: Partial<SessionInput> = {}): SessionInput {
  return {
    title: 'Harbor <Lights> & "Co" \u0001',
    tempoBpm: 92.5,
    sampleRate: 44100,
    appVersion: '0.1.0',
    comment: 'Exported by Stemhook',
    markers: [],
    tracks: [
      {
        name: 'Vocals',
        fileName: 'Harbor Lights_Vocals.wav',
        channels: 2,
        sampleRate: 44100,
        frames: 441000,
        gainDb: -3,
        isMuted: false,
        isSoloed: true,
        color: '#ff7a90',
      },
      {
        name: "Drums & 'Perc'",
        fileName: 'Harbor Lights_Drums.wav',
        channels: 1,
        sampleRate: 44100,
        frames: 441000,
        gainDb: 0,
        isMuted: true,
        isSoloed: false,
        color: '#ffb35c',
      },
      {
        name: 'Bass',
        fileName: 'Ünïcode 🔥_Bass.wav',
        channels: 2,
        sampleRate: 44100,
        frames: 441000,
        gainDb: 9,
        isMuted: false,
        isSoloed: false,
        color: '#c58bff',
      },
    ],
    midiTracks: [],
    ...overrides,
  };
}

const BASS_NOTES = [
  { pitch: 40, start: 0, end: 0.5, velocity: 1 },
  { pitch: 43, start: 0.652174, end: 1.25, velocity: 0.5 },
];
const KICKS = [
  { pitch: 36, start: 0, end: 0.45, velocity: 1 },
  { pitch: 36, start: 1.304348, end: 1.75, velocity: 0.8 },
];

/** The same session with MIDI for the drums (track 1) and the bass (track 2). */
function sessionWithMidi(overrides: Partial<SessionInput> = {}): SessionInput {
  return session({
    midiTracks: [
      {
        name: 'Bass MIDI',
        fileName: 'Ünïcode 🔥_Bass.mid',
        underTrack: 2,
        channel: 0,
        seconds: 10,
        notes: BASS_NOTES,
        color: '#c58bff',
      },
      {
        name: 'Drums MIDI',
        fileName: 'Harbor Lights_Drums.mid',
        underTrack: 1,
        channel: 9,
        seconds: 10,
        notes: KICKS,
        color: '#ffb35c',
      },
    ],
    ...overrides,
  });
}

/** Every `<Note>` of one track's clip, read back out of project.xml (attribute order independent). */
function notesOfTrack(
  project: string,
  trackName: string,
): Array<{ key: number; time: number; duration: number; channel: number; vel: number }> {
  const id = new RegExp(`<Track contentType="notes"[^>]*id="([^"]+)"[^>]*name="${trackName}"`).exec(
    project,
  )?.[1];
  if (!id) throw new Error(`no note track ${trackName}`);
  const lane = project.slice(project.indexOf(`<Lanes track="${id}"`));
  const body = lane.slice(0, lane.indexOf('</Lanes>'));
  return [...body.matchAll(/<Note ([^>]*)\/>/g)].map((m) => {
    const attr = (name: string) => Number(new RegExp(`${name}="([^"]+)"`).exec(m[1] ?? '')?.[1]);
    return {
      key: attr('key'),
      time: attr('time'),
      duration: attr('duration'),
      channel: attr('channel'),
      vel: attr('vel'),
    };
  });
}

/** A minimal RPP reader: nested `<TAG ...` blocks closed by `>`, tokens split like REAPER does. */
interface RppNode {
  tag: string;
  args: string[];
  lines: string[][];
  children: RppNode[];
}

function tokenize(line: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < line.length;) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    const quote = ['"', "'", '`'].includes(line[i] ?? '') ? line[i] : null;
    if (quote) {
      const end = line.indexOf(quote, i + 1);
      if (end < 0) throw new Error(`unterminated quote in ${line}`);
      tokens.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      const end = line.indexOf(' ', i);
      tokens.push(line.slice(i, end < 0 ? undefined : end));
      i = end < 0 ? line.length : end;
    }
  }
  return tokens;
}

function parseRpp(text: string): RppNode {
  const stack: RppNode[] = [];
  let root: RppNode | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('<')) {
      const [tag = '', ...args] = tokenize(line.slice(1));
      const node: RppNode = { tag, args, lines: [], children: [] };
      stack.at(-1)?.children.push(node);
      stack.push(node);
      root ??= node;
    } else if (line === '>') {
      if (!stack.pop()) throw new Error('unbalanced >');
    } else {
      const current = stack.at(-1);
      if (!current) throw new Error('text outside the project');
      current.lines.push(line.startsWith('|') ? [line] : tokenize(line));
    }
  }
  if (!root || stack.length > 0) throw new Error('unbalanced project');
  return root;
}

const value = (node: RppNode, key: string) => node.lines.find((l) => l[0] === key)?.slice(1);

const MARKERS = [
  { name: 'Verse', timeSec: 0.5 },
  { name: 'Chorus "big" & <loud>', timeSec: 12.345678 },
  { name: "Outro's end", timeSec: 30 },
];

describe('DAWproject', () => {
  it.each([
    ['with a tempo', session()],
    ['without a tempo', session({ tempoBpm: null })],
    ['with one mono track', session({ tracks: session().tracks.slice(1, 2) })],
    ['with section markers', session({ markers: MARKERS })],
    ['with MIDI note tracks', sessionWithMidi()],
    ['with MIDI and no tempo', sessionWithMidi({ tempoBpm: null })],
    ['with MIDI and section markers', sessionWithMidi({ markers: MARKERS })],
  ])('validates against Project.xsd and MetaData.xsd %s', async (_label, input) => {
    const files = unzipSync(buildDawProject(input));
    expect(Object.keys(files).sort()).toEqual(['metadata.xml', 'project.xml']);
    const project = strFromU8(files['project.xml'] as Uint8Array);
    const metadata = strFromU8(files['metadata.xml'] as Uint8Array);
    if (!hasXmllint) return console.warn('xmllint is not installed; skipping schema validation');
    const checked = validateDawXml(project, 'Project.xsd');
    expect(checked.stderr).toContain('validates');
    expect(checked.status).toBe(0);
    const meta = validateDawXml(metadata, 'MetaData.xsd');
    expect(meta.status).toBe(0);
  });

  it('has one named track per stem referencing its WAV at 0 s, with the mix and tempo', () => {
    const project = strFromU8(unzipSync(buildDawProject(session()))['project.xml'] as Uint8Array);
    for (const track of session().tracks) {
      expect(project).toContain(`<File path="${escapeXml(track.fileName)}" external="true"/>`);
      expect(project).toContain(`name="${escapeXml(track.name)}"`);
    }
    expect(project.match(/<Track contentType="audio"/g)?.length).toBe(3);
    expect(project.match(/<Clip time="0" duration="10"/g)?.length).toBe(3);
    expect(project).toContain('<Tempo unit="bpm" value="92.5"');
    expect(project).toContain('<Mute value="true"');
    expect(project).toContain('solo="true"');
    expect(project).toContain(
      `<Volume unit="linear" value="${(10 ** (-3 / 20)).toFixed(6).replace(/0+$/, '')}"`,
    );
    expect(project).not.toContain('\u0001');
  });
});

describe('section markers', () => {
  it('DAWproject: one Marker per section in the arrangement, read back with its name and time', () => {
    const project = strFromU8(
      unzipSync(buildDawProject(session({ markers: MARKERS })))['project.xml'] as Uint8Array,
    );
    const markers = [...project.matchAll(/<Marker time="([^"]+)" name="([^"]*)"\/>/g)].map((m) => ({
      name: (m[2] ?? '')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
      timeSec: Number(m[1]),
    }));
    expect(markers).toEqual(MARKERS);
    expect(project.indexOf('<Markers timeUnit="seconds"')).toBeGreaterThan(project.lastIndexOf('</Lanes>'));
    // No sections, no Markers element (the schema wants at least one Marker inside it).
    expect(strFromU8(unzipSync(buildDawProject(session()))['project.xml'] as Uint8Array)).not.toContain(
      'Markers',
    );
  });

  it('RPP: one MARKER line per section at project level, read back with its name and time', () => {
    const root = parseRpp(buildRpp(session({ markers: MARKERS }), 0));
    const lines = root.lines.filter((line) => line[0] === 'MARKER');
    expect(lines.map((line) => ({ name: line[3], timeSec: Number(line[2]) }))).toEqual(MARKERS);
    expect(lines.map((line) => [line[1], line[4]])).toEqual([
      ['1', '0'],
      ['2', '0'],
      ['3', '0'],
    ]);
    expect(parseRpp(buildRpp(session(), 0)).lines.some((line) => line[0] === 'MARKER')).toBe(false);
  });
});

describe('DAWproject with MIDI', () => {
  const project = strFromU8(unzipSync(buildDawProject(sessionWithMidi()))['project.xml'] as Uint8Array);

  it("puts each stem's note track right under its audio track", () => {
    const order = [...project.matchAll(/<Track contentType="(audio|notes)"[^>]*name="([^"]+)"/g)].map(
      (m) => m[2],
    );
    expect(order).toEqual(['Vocals', 'Drums &amp; &apos;Perc&apos;', 'Drums MIDI', 'Bass', 'Bass MIDI']);
  });

  it('reads the notes back out of the note clips, at 0 s, on their channels', () => {
    expect(notesOfTrack(project, 'Bass MIDI')).toEqual(
      BASS_NOTES.map((n) => ({
        key: n.pitch,
        time: n.start,
        duration: expect.closeTo(n.end - n.start, 6),
        channel: 0,
        vel: n.velocity,
      })),
    );
    expect(notesOfTrack(project, 'Drums MIDI').map((n) => [n.key, n.channel])).toEqual([
      [36, 9],
      [36, 9],
    ]);
    expect(
      project.match(/<Clip time="0" duration="10" playStart="0" name="(Bass|Drums) MIDI">/g),
    ).toHaveLength(2);
  });
});

describe('REAPER project', () => {
  it("has a MIDI item reading each stem's .mid on a track right under the stem", () => {
    const root = parseRpp(buildRpp(sessionWithMidi(), 0));
    const tracks = root.children.filter((c) => c.tag === 'TRACK');
    expect(tracks.map((t) => value(t, 'NAME')?.[0])).toEqual([
      'Vocals',
      "Drums & 'Perc'",
      'Drums MIDI',
      'Bass',
      'Bass MIDI',
    ]);
    const source = (name: string) =>
      tracks
        .find((t) => value(t, 'NAME')?.[0] === name)
        ?.children.find((c) => c.tag === 'ITEM')
        ?.children.find((c) => c.tag === 'SOURCE');
    expect(source('Bass MIDI')?.args).toEqual(['MIDI']);
    expect(source('Bass MIDI') && value(source('Bass MIDI') as RppNode, 'FILE')).toEqual([
      'Ünïcode 🔥_Bass.mid',
    ]);
    expect(value(root, 'TEMPO')).toEqual(['92.5', '4', '4']);
  });

  it('parses, with one track per stem whose item starts at 0 and names its WAV', () => {
    const root = parseRpp(buildRpp(session(), 1_700_000_000));
    expect(root.tag).toBe('REAPER_PROJECT');
    expect(value(root, 'TEMPO')).toEqual(['92.5', '4', '4']);
    expect(value(root, 'SAMPLERATE')?.[0]).toBe('44100');
    const tracks = root.children.filter((c) => c.tag === 'TRACK');
    expect(tracks.map((t) => value(t, 'NAME')?.[0])).toEqual(session().tracks.map((t) => t.name));
    tracks.forEach((track, i) => {
      const input = session().tracks[i];
      const item = track.children.find((c) => c.tag === 'ITEM');
      expect(item && value(item, 'POSITION')).toEqual(['0']);
      expect(Number(item && value(item, 'LENGTH')?.[0])).toBeCloseTo(10, 9);
      const source = item?.children.find((c) => c.tag === 'SOURCE');
      expect(source?.args).toEqual(['WAVE']);
      expect(source && value(source, 'FILE')).toEqual([input?.fileName]);
      expect(Number(value(track, 'VOLPAN')?.[0])).toBeCloseTo(10 ** ((input?.gainDb ?? 0) / 20), 5);
      expect(value(track, 'MUTESOLO')?.slice(0, 2)).toEqual([
        input?.isMuted ? '1' : '0',
        input?.isSoloed ? '2' : '0',
      ]);
    });
  });

  it('leaves TEMPO out when the tempo is unknown', () => {
    expect(value(parseRpp(buildRpp(session({ tempoBpm: null }), 0)), 'TEMPO')).toBeUndefined();
  });

  it('quotes names with whichever quote they do not contain', () => {
    expect(tokenize(`NAME ${quoteRpp('say "hi"')}`)).toEqual(['NAME', 'say "hi"']);
    expect(tokenize(`NAME ${quoteRpp(`it's "x"`)}`)).toEqual(['NAME', `it's "x"`]);
    expect(tokenize(`NAME ${quoteRpp('a"b\'c`d')}`)).toEqual(['NAME', "a\"b'c'd"]);
  });
});
