// The tempo and key an export writes into sessions, MIDI files and provenance.json, each behind one
// function: today the tempo comes from the export option or the "92 bpm" in KIE's style tags and
// no key is known; ingest-time analysis (issue 13 §3) plugs in here.

export interface TempoFact {
  bpm: number | null;
  /** 0-1 when measured; null when read from text or unknown. */
  confidence: number | null;
  /** The producer set it (the export's tempo option, later a correction in the library). */
  isCorrected: boolean;
  source: 'producer' | 'style-tags' | null;
}

export interface KeyFact {
  /** e.g. "A minor"; null while Stemhook cannot tell. */
  key: string | null;
  confidence: number | null;
  isCorrected: boolean;
}

/** "128 bpm" (or "128bpm") in the style tags is the only tempo KIE ever tells us. */
export function tempoFromText(...texts: Array<string | null | undefined>): number | null {
  for (const text of texts) {
    const match = /\b(\d{2,3}(?:\.\d+)?)\s*bpm\b/i.exec(text ?? '');
    const bpm = match ? Number(match[1]) : NaN;
    if (bpm >= 20 && bpm <= 999) return bpm;
  }
  return null;
}

export function resolveTempo(input: { override?: number; tagTexts: Array<string | null> }): TempoFact {
  if (input.override !== undefined)
    return { bpm: input.override, confidence: null, isCorrected: true, source: 'producer' };
  const bpm = tempoFromText(...input.tagTexts);
  return { bpm, confidence: null, isCorrected: false, source: bpm === null ? null : 'style-tags' };
}

export function resolveKey(): KeyFact {
  return { key: null, confidence: null, isCorrected: false };
}
