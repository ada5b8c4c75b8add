// One calm hue per stem, shared by lane swatches and waveforms (canvas needs real color strings);
// takes of one task each get their own hue, so Take 1 and Take 2 never look alike.
import type { StemName } from '../../../shared/domain.ts';
import type { LaneSpec } from './lanes.ts';

export const STEM_COLORS: Record<StemName | 'source' | 'residual', string> = {
  source: '#9aa3b5',
  residual: '#c4c8d0',
  take: '#6cc3a0',
  vocals: '#e3a35f',
  instrumental: '#6fa8dc',
  backing_vocals: '#d98c6c',
  drums: '#d46a6a',
  bass: '#8f7ad8',
  guitar: '#c9b458',
  keyboard: '#5fb8c9',
  percussion: '#d67a9c',
  strings: '#7fbf7f',
  synth: '#b48be0',
  fx: '#7f93a8',
  brass: '#d9a441',
  woodwinds: '#8cc6a8',
};

const TAKE_COLORS = ['#6cc3a0', '#e08a5c', '#6fa8dc', '#c58fd9'] as const;

/** A stem's hue, or for the `takeIndex`-th take of a task its own. */
export function trackColor(stem: StemName | 'source' | 'residual', takeIndex: number): string {
  return stem === 'take'
    ? (TAKE_COLORS[takeIndex % TAKE_COLORS.length] ?? STEM_COLORS.take)
    : STEM_COLORS[stem];
}

export function laneColors(lanes: LaneSpec[]): Map<string, string> {
  const colors = new Map<string, string>();
  let take = 0;
  for (const lane of lanes) colors.set(lane.id, trackColor(lane.stem, lane.stem === 'take' ? take++ : 0));
  return colors;
}
