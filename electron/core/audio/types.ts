// Shapes shared by the ingest worker, the pool and callers: the job input and the ingest result.
import type { MessagePort } from 'node:worker_threads';
import type { PcmRef, ResidualStep, ResidualStepResult } from './residual/types.ts';

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

/** An uploaded FLAC source, decoded by our own decoder (flac/). */
export interface FlacIngestInput {
  flacPath: string;
  outBase: string;
  maxSeconds?: number;
}

/** An MP3 decoded while it downloads: its bytes arrive on a MessagePort (StreamFeedMessage). */
export interface StreamIngestInput {
  outBase: string;
  maxSeconds?: number;
  /** The announced size (Content-Length): sizes the free-space check before the bytes are there. */
  expectedBytes: number;
}

/** A decoded source resampled to its split's stems' rate (conform-rate.ts). */
export interface ConformInput {
  source: PcmRef;
  /** The rate to write: the stems'. */
  sampleRate: number;
  /** Outputs go to `<outBase>.pcm` and `<outBase>.peaks`. */
  outBase: string;
}

/** What the downloader posts to a streaming ingest: checked bytes in order, then how it ended. */
export type StreamFeedMessage =
  { kind: 'bytes'; bytes: Uint8Array } | { kind: 'end'; bytes: number } | { kind: 'abort' };

/** What the pool hands a decode worker: one file, a download in progress, or a step of a residual. */
export type DecodeJob =
  | ({ format: 'mp3' } & IngestInput)
  | ({ format: 'wav' } & WavIngestInput)
  | ({ format: 'flac' } & FlacIngestInput)
  | ({ format: 'mp3-stream'; port: MessagePort } & StreamIngestInput)
  | ResidualStep
  | ({ format: 'conform' } & ConformInput);

/** What a worker answers for each kind of job. */
export type DecodeJobResult<J extends DecodeJob> = J extends ResidualStep
  ? ResidualStepResult<J>
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
