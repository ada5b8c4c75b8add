// Normalises KIE's timestamped-lyrics answer (kie-api.md §7.3: `alignedWords` of word, success,
// startS, endS) into aligned words; anything malformed is dropped word by word, never thrown.
import type { AlignedWord } from '../lyrics.ts';
import { isRecord, num } from './tracks.ts';

export function alignedWordsFrom(data: unknown): AlignedWord[] {
  const items = isRecord(data) && Array.isArray(data.alignedWords) ? data.alignedWords : [];
  const words: AlignedWord[] = [];
  for (const item of items) {
    if (!isRecord(item) || typeof item.word !== 'string') continue;
    const startSec = num(item.startS);
    const endSec = num(item.endS);
    if (startSec === null || endSec === null || startSec < 0) continue;
    words.push({
      text: item.word,
      startSec,
      endSec: Math.max(startSec, endSec),
      isAligned: item.success !== false,
    });
  }
  return words.sort((a, b) => a.startSec - b.startSec);
}
