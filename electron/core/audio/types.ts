// Shapes shared by the ingest worker, the pool and callers: the job input and the ingest result.

/** Finite stand-in for -Infinity dBFS (digital silence), below the 24-bit floor of about -138 dBFS. */
export const MIN_DB = -150;

export interface IngestInput {
  mp3Path: string;
  /** Outputs go to `<outBase>.pcm` and `<outBase>.peaks`. */
  outBase: string;
}

export interface IngestResult {
  sampleRate: number;
  channels: number;
  /** Frames per channel, exactly what the decoder produced (encoder delay trimmed only with a LAME/Xing header). */
  sampleCount: number;
  durationSec: number;
  pcmPath: string;
  peaksPath: string;
  /** dBFS of the largest absolute sample; digital silence reports MIN_DB. */
  peakDb: number;
  /** dBFS of the RMS over all channels; digital silence reports MIN_DB. */
  rmsDb: number;
  /** Peak below -50 dBFS or RMS below -60 dBFS. */
  isNearSilent: boolean;
}
