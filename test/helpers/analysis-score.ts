// Scores tempo/key analysis against a labelled clip the way the accuracy targets count it: tempo
// within ±1 BPM (half and double tempo counted apart), key exact, relative, or wrong.
import type { DetectedAnalysis } from '../../electron/core/store/index.ts';
import { relativeKey } from '../../shared/musical-key.ts';
import type { LabelledClip } from './analysis-clips.ts';

export type TempoOutcome = 'exact' | 'half' | 'double' | 'other' | 'none';
export type KeyOutcome = 'exact' | 'relative' | 'other' | 'none';

export interface ClipScore {
  clip: LabelledClip;
  tempo: TempoOutcome;
  key: KeyOutcome;
  result: DetectedAnalysis;
}

export function scoreClip(clip: LabelledClip, result: DetectedAnalysis): ClipScore {
  const bpm = result.tempo?.bpm;
  const near = (target: number): boolean => bpm !== undefined && Math.abs(bpm - target) <= 1;
  const tempo: TempoOutcome =
    bpm === undefined
      ? 'none'
      : near(clip.bpm)
        ? 'exact'
        : near(clip.bpm / 2)
          ? 'half'
          : near(clip.bpm * 2)
            ? 'double'
            : 'other';
  const found = result.key;
  const relative = relativeKey(clip);
  const key: KeyOutcome = !found
    ? 'none'
    : found.tonic === clip.tonic && found.mode === clip.mode
      ? 'exact'
      : found.tonic === relative.tonic && found.mode === relative.mode
        ? 'relative'
        : 'other';
  return { clip, tempo, key, result };
}

export interface Accuracy {
  clips: number;
  tempoExact: number;
  tempoHalfOrDouble: number;
  keyExact: number;
  keyExactOrRelative: number;
}

/** Shares of the clips, 0..1. */
export function accuracyOf(scores: ClipScore[]): Accuracy {
  const share = (test: (s: ClipScore) => boolean): number =>
    scores.filter(test).length / Math.max(1, scores.length);
  return {
    clips: scores.length,
    tempoExact: share((s) => s.tempo === 'exact'),
    tempoHalfOrDouble: share((s) => s.tempo === 'half' || s.tempo === 'double'),
    keyExact: share((s) => s.key === 'exact'),
    keyExactOrRelative: share((s) => s.key === 'exact' || s.key === 'relative'),
  };
}

/** The targets of issue 13 §3. */
export const TARGETS = { tempoExact: 0.95, keyExact: 0.8, keyExactOrRelative: 0.95 } as const;
