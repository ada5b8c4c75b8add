// Shapes shared by the ingest worker, the pool and callers: the job input and the ingest result.
import type { ResidualInput, ResidualResult } from './residual/types.ts';

/** Finite stand-in for -Infinity dBFS (digital silence), below the 24-bit floor of about -138 dBFS. */
export const MIN_DB = -150;

export interface IngestInput {
  mp3Path: string;
  /** Outputs go to `<outBase>.pcm` and `<outBase>.peaks`. */
  outBase: string;
  /** Refuse (code too_long) as soon as the audio runs past this; default MAX_TAKE_SECONDS. */
  maxSeconds?: number;
}

export interface WavIngestInput {
  wavPath: string;
  outBase: string;
  maxSeconds?: number;
}

/** What the pool hands a decode worker: one file of either kind, or a split's residual to compute. */
export type DecodeJob =
  | ({ format: 'mp3' } & IngestInput)
  | ({ format: 'wav' } & WavIngestInput)
  | ({ format: 'residual' } & ResidualInput);

/** What a worker answers for each kind of job. */
export type DecodeJobResult<J extends DecodeJob> = J extends { format: 'residual' }
  ? ResidualResult
  : IngestResult;

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
