// The one rule for the tempo and key an export writes into sessions, MIDI files and provenance.json:
// the export's tempo option, then the song's analysis (a producer's correction, then the most
// confident detection, by shared/song-analysis.ts), then the "92 bpm" in KIE's style tags.
import { keyName } from '../../../shared/musical-key.ts';
import type { SongAnalysis } from './song-analysis.ts';

export interface TempoFact {
  bpm: number | null;
  /** What the analysis found, kept beside a correction or the export's tempo option. */
  detectedBpm: number | null;
  /** 0-1 when measured; null when set by the producer, read from text or unknown. */
  confidence: number | null;
  /** Seconds to the first beat of the detected grid. */
  firstBeatSec: number | null;
  /** The producer set it (the export's tempo option or a correction in the library). */
  isCorrected: boolean;
  source: 'export-option' | 'correction' | 'detection' | 'style-tags' | null;
}

export interface KeyFact {
  /** e.g. "A minor"; null while Stemhook cannot tell. */
  name: string | null;
  /** What the analysis found, kept beside a correction. */
  detected: string | null;
  confidence: number | null;
  isCorrected: boolean;
  source: 'correction' | 'detection' | null;
}

/** "128 bpm" (or "128bpm") in the style tags: the only tempo KIE itself ever tells us. */
export function tempoFromText(...texts: Array<string | null | undefined>): number | null {
  for (const text of texts) {
    const match = /\b(\d{2,3}(?:\.\d+)?)\s*bpm\b/i.exec(text ?? '');
    const bpm = match ? Number(match[1]) : NaN;
    if (bpm >= 20 && bpm <= 999) return bpm;
  }
  return null;
}

export function resolveTempo(input: {
  override?: number;
  analysis: SongAnalysis;
  tagTexts: Array<string | null>;
}): TempoFact {
  const measured = input.analysis.tempo;
  const detection = {
    detectedBpm: measured?.detectedBpm ?? null,
    firstBeatSec: measured?.firstBeatSec ?? null,
  };
  if (input.override !== undefined)
    return {
      bpm: input.override,
      ...detection,
      confidence: null,
      isCorrected: true,
      source: 'export-option',
    };
  if (measured)
    return {
      bpm: measured.bpm,
      ...detection,
      confidence: measured.confidence,
      isCorrected: measured.isCorrected,
      source: measured.isCorrected ? 'correction' : 'detection',
    };
  const bpm = tempoFromText(...input.tagTexts);
  return {
    bpm,
    ...detection,
    confidence: null,
    isCorrected: false,
    source: bpm === null ? null : 'style-tags',
  };
}

export function resolveKey(analysis: SongAnalysis): KeyFact {
  const key = analysis.key;
  if (!key) return { name: null, detected: null, confidence: null, isCorrected: false, source: null };
  return {
    name: key.name,
    detected: key.detected && keyName(key.detected),
    confidence: key.confidence,
    isCorrected: key.isCorrected,
    source: key.isCorrected ? 'correction' : 'detection',
  };
}
