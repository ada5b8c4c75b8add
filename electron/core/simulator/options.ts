// Default simulator options and the merge rules for partial overrides.
import type { SimulatorOptions } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_OPTIONS: SimulatorOptions = {
  apiKey: 'sim-api-key',
  hmacKey: null,
  creditErrorFamily: 'kie',
  separationCallbackKey: 'vocal_separation_info',
  midi: { callbackShape: 'top-level', timeFormat: 'mixed', result: 'notes' },
  createTimeFormat: 'string',
  trackCount: 2,
  stageDelayMs: 300,
  audioDurationSec: 20,
  credits: 500,
  costs: { 'add-instrumental': 12, 'add-vocals': 12, separate_vocal: 10, split_stem: 50, wav: 0, midi: 0 },
  allowAudioUrlSeparation: true,
  // kie-api.md §1.5: 24 h is the stricter of the two documented upload retentions.
  uploadRetentionMs: DAY_MS,
  resultRetentionMs: 14 * DAY_MS,
  duplicateCallbacks: 1,
  shuffleCallbacks: false,
  dropCallbacks: false,
  skipIntermediateStages: false,
  callbackDelayMs: 0,
  callbackRetryDelayMs: 200,
  callbackTunnel: null,
  fileFault: null,
  fileBytesPerSecond: 0,
  lyrics: 'words',
  seed: 1,
  host: '127.0.0.1',
  apiPort: 0,
  uploadPort: 0,
};

export function mergeOptions(base: SimulatorOptions, patch: Partial<SimulatorOptions>): SimulatorOptions {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const merged: SimulatorOptions = {
    ...base,
    ...defined,
    costs: { ...base.costs, ...(patch.costs ?? {}) },
    midi: { ...base.midi, ...(patch.midi ?? {}) },
  };
  merged.duplicateCallbacks = Math.max(1, Math.floor(merged.duplicateCallbacks));
  merged.trackCount = merged.trackCount === 1 ? 1 : 2;
  return merged;
}
