// Shapes of a residual job: the PCM caches it reads and what it reports.

export interface PcmRef {
  pcmPath: string;
  channels: number;
  sampleRate: number;
  /** Frames per channel in the cache. */
  sampleCount: number;
}

export interface ResidualInput {
  source: PcmRef;
  stems: (PcmRef & { id: string })[];
  /** Outputs go to `<outBase>.pcm` and `<outBase>.peaks`, on the stems' timeline. */
  outBase: string;
}

export interface StemLeak {
  id: string;
  /** Correlation coefficient of the residual with this stem (0: unrelated, 1: the residual is this stem). */
  correlation: number;
}

export interface ResidualResult {
  sampleRate: number;
  channels: number;
  sampleCount: number;
  pcmPath: string;
  peaksPath: string;
  /** Stems lag the source by this many frames (negative: they lead). */
  offsetFrames: number;
  /** Normalised cross-correlation at that offset. */
  alignment: number;
  /** Residual energy over source energy, in dB. */
  levelDb: number;
  /** dBFS of the residual's largest sample. */
  peakDb: number;
  leaks: StemLeak[];
  /** Wall time of the job, in its worker. */
  computeMs: number;
  /** CPU time of the worker thread for the job. */
  cpuMs: number;
}
