// The one place that turns a finished decode pass (MP3, WAV/AIFF or FLAC) into an IngestResult, so all paths
// measure levels and flag near-silent stems by the same rule.
import { S24_SCALE } from './pcm-cache.ts';
import { MIN_DB, type IngestResult } from './types.ts';

/** A stem this quiet is flagged "empty" in the studio: split_stem returns such stems for absent instruments. */
const NEAR_SILENT_PEAK_DB = -50;
const NEAR_SILENT_RMS_DB = -60;

function toDb(ratio: number): number {
  return ratio > 0 ? Math.max(MIN_DB, 20 * Math.log10(ratio)) : MIN_DB;
}

interface DecodePass {
  sampleRate: number;
  channels: number;
  sampleCount: number;
  pcmPath: string;
  peaksPath: string;
  /** Largest absolute s24 sample value seen. */
  peakAbs: number;
  /** Sum of squared s24 sample values over all channels. */
  sumSquares: number;
}

export function toIngestResult(pass: DecodePass): IngestResult {
  const { sampleRate, channels, sampleCount, pcmPath, peaksPath } = pass;
  const peakDb = toDb(pass.peakAbs / S24_SCALE);
  const rmsDb = toDb(Math.sqrt(pass.sumSquares / Math.max(1, sampleCount * channels)) / S24_SCALE);
  return {
    sampleRate,
    channels,
    sampleCount,
    durationSec: sampleCount / sampleRate,
    pcmPath,
    peaksPath,
    peakDb,
    rmsDb,
    isNearSilent: peakDb < NEAR_SILENT_PEAK_DB || rmsDb < NEAR_SILENT_RMS_DB,
  };
}
