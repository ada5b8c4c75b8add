// One way to write a track's tempo and key for people (CLI, library, studio): "120.0 BPM · A minor",
// with the detection's confidence, or "(set by you)" for a producer's correction.
import type { KeyView, TempoView, TrackView } from './domain.ts';

function confidenceText(part: { isCorrected: boolean; confidence: number | null }): string {
  if (part.isCorrected) return ' (set by you)';
  return part.confidence === null ? '' : ` (${Math.round(part.confidence * 100)}% sure)`;
}

export function tempoText(tempo: TempoView): string {
  return `${tempo.bpm.toFixed(1)} BPM${confidenceText(tempo)}`;
}

export function keyText(key: KeyView): string {
  return `${key.name}${confidenceText(key)}`;
}

/** Empty while the track has no decoded audio. */
export function analysisText(track: Pick<TrackView, 'analysis' | 'tempo' | 'key'>): string {
  if (track.analysis === null) return '';
  if (!track.tempo && !track.key) {
    if (track.analysis === 'pending') return 'analysing tempo and key…';
    if (track.analysis === 'failed') return 'tempo and key could not be analysed; you can set them';
  }
  const parts = [
    track.tempo ? tempoText(track.tempo) : 'no steady tempo',
    track.key ? keyText(track.key) : 'no clear key',
  ];
  return parts.join(' · ');
}
