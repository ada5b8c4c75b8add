// Recognises audio containers from a file's first bytes, so neither a download nor an upload has
// to trust a file name or a Content-Type header.

export type AudioContainer = 'mp3' | 'wav' | 'flac' | 'aiff' | 'm4a' | 'ogg' | 'aac';

/** How many leading bytes sniffAudio needs to tell every container apart. */
export const SNIFF_HEAD_BYTES = 12;

function tag(head: Uint8Array, at: number): string {
  return String.fromCharCode(...head.subarray(at, at + 4));
}

export function looksLikeWav(head: Uint8Array): boolean {
  return (tag(head, 0) === 'RIFF' || tag(head, 0) === 'RF64') && tag(head, 8) === 'WAVE';
}

/** ID3v2 tag, or an MPEG audio frame sync (11 set bits) with a valid layer (00 is reserved, ADTS/AAC). */
export function looksLikeMp3(head: Uint8Array): boolean {
  if (head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) return true;
  const b1 = head[1] ?? 0;
  return head[0] === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0;
}

/** The container the bytes start with, or null when they are not audio Stemhook or KIE can read. */
export function sniffAudio(head: Uint8Array): AudioContainer | null {
  if (looksLikeMp3(head)) return 'mp3';
  if (looksLikeWav(head)) return 'wav';
  if (tag(head, 0) === 'fLaC') return 'flac';
  if (tag(head, 0) === 'FORM' && (tag(head, 8) === 'AIFF' || tag(head, 8) === 'AIFC')) return 'aiff';
  if (tag(head, 4) === 'ftyp') return 'm4a';
  if (tag(head, 0) === 'OggS') return 'ogg';
  // ADTS AAC: frame sync with layer 00, the case looksLikeMp3 leaves out.
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xf6) === 0xf0) return 'aac';
  return null;
}
