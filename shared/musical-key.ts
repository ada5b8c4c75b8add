// Musical keys as the analysis, the contract and the UI name them: tonic pitch class and mode.

export type Mode = 'major' | 'minor';

export const PITCH_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

export interface MusicalKey {
  /** Pitch class of the tonic, 0 = C … 11 = B. */
  tonic: number;
  mode: Mode;
}

export function keyName(key: MusicalKey): string {
  return `${PITCH_NAMES[key.tonic] ?? '?'} ${key.mode}`;
}

export function isMusicalKey(value: unknown): value is MusicalKey {
  if (typeof value !== 'object' || value === null) return false;
  const { tonic, mode } = value as Record<string, unknown>;
  return (
    Number.isInteger(tonic) &&
    (tonic as number) >= 0 &&
    (tonic as number) < 12 &&
    (mode === 'major' || mode === 'minor')
  );
}

/** The relative major of a minor key and the relative minor of a major one (same notes). */
export function relativeKey(key: MusicalKey): MusicalKey {
  return key.mode === 'major'
    ? { tonic: (key.tonic + 9) % 12, mode: 'minor' }
    : { tonic: (key.tonic + 3) % 12, mode: 'major' };
}
