// File-name rules for everything Stemhook writes from user text (titles, stem labels): safe on
// Windows, macOS and Linux at once, readable, and never able to name a path outside its folder.

/** Windows refuses these as a file's base name (before the first dot), whatever the extension. */
const RESERVED_WINDOWS = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  'CONIN$',
  'CONOUT$',
  ...Array.from({ length: 10 }, (_, i) => `COM${i}`),
  ...Array.from({ length: 10 }, (_, i) => `LPT${i}`),
  ...['¹', '²', '³'].flatMap((d) => [`COM${d}`, `LPT${d}`]),
]);

/** UTF-8 bytes of a title, so a whole `<Title>_<Stem> (99).dawproject` stays far below 255. */
const MAX_TITLE_BYTES = 100;
const MAX_LABEL_BYTES = 40;
const FALLBACK_TITLE = 'Untitled';

export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Cuts at a grapheme boundary (never inside an emoji sequence or a combining mark). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
    const size = utf8Length(segment);
    if (bytes + size > maxBytes) break;
    out += segment;
    bytes += size;
  }
  return out;
}

export function isReservedWindowsName(name: string): boolean {
  const base = name.split('.')[0]?.trimEnd().toUpperCase() ?? '';
  return RESERVED_WINDOWS.has(base);
}

/**
 * One path component from free text: NFC; control, bidi-override and BOM characters dropped (a
 * right-to-left override can disguise `evil.exe` as `exe.wav`); separators and Windows' reserved
 * punctuation replaced; no leading dot (hidden on Unix) and no trailing dot or space (Windows
 * strips them); reserved device names prefixed; length capped; empty becomes the fallback.
 */
export function sanitizeComponent(
  text: string,
  maxBytes = MAX_TITLE_BYTES,
  fallback = FALLBACK_TITLE,
): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[\p{Cc}\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/gu, ' ')
    .replace(/[/\\|:]/g, '-')
    .replace(/"/g, "'")
    .replace(/[<>?*]/g, '')
    .replace(/[\s\u00A0]+/gu, ' ')
    .replace(/^[\s.\-_]+/u, '')
    .replace(/[\s.]+$/u, '');
  const short = truncateUtf8(cleaned, maxBytes).replace(/[\s.]+$/u, '');
  if (!short) return fallback;
  return isReservedWindowsName(short) ? `_${short}` : short;
}

/** `<Title>_<Stem>.<ext>`, both parts sanitised; `ext` is a fixed literal from our code. */
export function exportFileName(title: string | null, label: string, ext: string): string {
  const name = `${sanitizeComponent(title ?? '')}_${sanitizeComponent(label, MAX_LABEL_BYTES, 'Track')}.${ext}`;
  return isReservedWindowsName(name) ? `_${name}` : name;
}

/** A file name of the session/folder kind: `<Title>.<ext>` (ext may be empty for a folder). */
export function titleFileName(title: string | null, ext: string): string {
  const base = sanitizeComponent(title ?? '');
  return ext ? `${base}.${ext}` : base;
}

/** `name (n).ext`: the numbered variant used instead of overwriting. */
export function withNumberSuffix(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** Repeated labels (two takes) become `Take 1`, `Take 2`; unique ones stay as they are. */
export function uniqueLabels(labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label.toLowerCase(), (counts.get(label.toLowerCase()) ?? 0) + 1);
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const key = label.toLowerCase();
    if ((counts.get(key) ?? 0) < 2) return label;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return `${label} ${n}`;
  });
}
