// Timestamped lyrics of a take (kie-api.md §7.3) turned into what the studio, export and CLI show:
// lines of words, song sections from the [Verse]/[Chorus] tags, and line-synced LRC text (pure).

/** One word as KIE aligned it; `isAligned: false` words are shown but never highlighted. */
export interface AlignedWord {
  /** KIE's text, tags and line breaks included ("[Verse]\nWaggin'"). */
  text: string;
  startSec: number;
  endSec: number;
  isAligned: boolean;
}

export interface LyricWord {
  text: string;
  startSec: number;
  endSec: number;
  isAligned: boolean;
}

export interface LyricLine {
  startSec: number;
  endSec: number;
  text: string;
  words: LyricWord[];
}

export interface SongSection {
  name: string;
  startSec: number;
  endSec: number;
}

/** `pending`: not asked yet (or KIE could not be reached); `none`: the take has no lyrics (a quiet state). */
export type LyricsState = 'pending' | 'found' | 'none';

/** What a take's TrackView carries: enough for `show --json` and the ruler, without the words. */
export interface TakeLyricsSummary {
  state: LyricsState;
  sections: SongSection[];
}

export interface LyricsView extends TakeLyricsSummary {
  trackId: string;
  lines: LyricLine[];
}

/** A section tag, a line break, or a run of text (a lone "[" is text). */
const TOKEN = /\[([^\]\n]{1,40})\]|\n|[^[\n]+|\[/g;

/** Lines and sections of KIE's aligned words; `durationSec` closes the last section. */
export function analyseLyrics(
  words: readonly AlignedWord[],
  durationSec: number | null,
): { lines: LyricLine[]; sections: SongSection[] } {
  const lines: LyricLine[] = [];
  const starts: Array<{ name: string; startSec: number }> = [];
  let current: LyricWord[] = [];
  const closeLine = () => {
    if (current.length === 0) return;
    const first = current[0] as LyricWord;
    const last = current[current.length - 1] as LyricWord;
    const text = current.map((w) => w.text).join(' ');
    lines.push({ startSec: first.startSec, endSec: last.endSec, text, words: current });
    current = [];
  };
  for (const word of words) {
    // In order: text before a tag or a line break belongs to the line that is open.
    for (const [token, tag] of word.text.matchAll(TOKEN)) {
      if (tag !== undefined) {
        closeLine();
        if (tag.trim()) starts.push({ name: tag.trim(), startSec: word.startSec });
      } else if (token === '\n') closeLine();
      else if (token.trim())
        current.push({
          text: token.trim(),
          startSec: word.startSec,
          endSec: word.endSec,
          isAligned: word.isAligned,
        });
    }
  }
  closeLine();
  const end = Math.max(durationSec ?? 0, lines[lines.length - 1]?.endSec ?? 0);
  const sections = starts
    .map((s, i, all) => ({ name: s.name, startSec: s.startSec, endSec: all[i + 1]?.startSec ?? end }))
    .filter((s) => s.endSec > s.startSec);
  return { lines, sections };
}

/** The word sounding at `seconds`, as [line, word] indexes; aligned words only. */
export function wordAt(lines: readonly LyricLine[], seconds: number): [number, number] | null {
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] as LyricLine;
    if (seconds < line.startSec || seconds >= line.endSec) continue;
    const w = line.words.findIndex(
      (word) => word.isAligned && seconds >= word.startSec && seconds < word.endSec,
    );
    return w >= 0 ? [l, w] : null;
  }
  return null;
}

/** The section start before (`-1`) or after (`+1`) `seconds`; a small tolerance skips the one just left. */
export function adjacentSection(
  sections: readonly SongSection[],
  seconds: number,
  direction: -1 | 1,
): SongSection | null {
  const EPSILON = 0.25;
  if (direction > 0) return sections.find((s) => s.startSec > seconds + 1e-6) ?? null;
  return [...sections].reverse().find((s) => s.startSec < seconds - EPSILON) ?? sections[0] ?? null;
}

function lrcTime(seconds: number): string {
  const hundredths = Math.max(0, Math.round(seconds * 100));
  const minutes = Math.floor(hundredths / 6000);
  const rest = hundredths - minutes * 6000;
  return `${String(minutes).padStart(2, '0')}:${String(Math.floor(rest / 100)).padStart(2, '0')}.${String(rest % 100).padStart(2, '0')}`;
}

/** Line-synced LRC: a `[mm:ss.xx]` stamp per line, the title and length as ID tags. */
export function buildLrc(title: string, lines: readonly LyricLine[], durationSec: number | null): string {
  const clean = (text: string) => text.replace(/[\r\n]+/g, ' ');
  const head = [`[ti:${clean(title)}]`, '[re:Stemhook]'];
  if (durationSec !== null) head.push(`[length:${lrcTime(durationSec).slice(0, 5)}]`);
  return `${[...head, ...lines.map((line) => `[${lrcTime(line.startSec)}]${clean(line.text)}`)].join('\n')}\n`;
}

/** Reads LRC back (timed lines in time order, ID tags by name): used by tests and for round trips. */
export function parseLrc(text: string): {
  tags: Record<string, string>;
  lines: Array<{ timeSec: number; text: string }>;
} {
  const tags: Record<string, string> = {};
  const lines: Array<{ timeSec: number; text: string }> = [];
  for (const raw of text.split(/\r?\n/)) {
    const stamps = [...raw.matchAll(/\[(\d{1,3}):(\d{2}(?:\.\d{1,3})?)\]/g)];
    if (stamps.length === 0) {
      const tag = /^\[([a-z]+):(.*)\]$/i.exec(raw.trim());
      if (tag) tags[(tag[1] as string).toLowerCase()] = tag[2] as string;
      continue;
    }
    const body = raw.replace(/\[\d{1,3}:\d{2}(?:\.\d{1,3})?\]/g, '');
    for (const stamp of stamps) lines.push({ timeSec: Number(stamp[1]) * 60 + Number(stamp[2]), text: body });
  }
  lines.sort((a, b) => a.timeSec - b.timeSec);
  return { tags, lines };
}
