// One calm hue per stem, shared by lane swatches and waveforms (canvas needs real color strings).
import type { StemName } from '../../../shared/domain.ts';

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
