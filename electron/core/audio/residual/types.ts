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
  /** Wall time of the job, from its first step to its last (the parts run in parallel). */
  computeMs: number;
  /** CPU time of the threads that ran its steps, summed. */
  cpuMs: number;
}

/** What the alignment step hands every part: the checked job and where the stems sit. */
export interface ResidualPlan {
  input: ResidualInput;
  channels: number;
  sampleRate: number;
  offsetFrames: number;
  confidence: number;
  /** Frames of the residual: the longest stem. */
  frames: number;
  cpuMs: number;
}

/** One part's measurements: its finest peaks and, per chunk, the sums the result is made of. */
export interface ResidualPart {
  from: number;
  to: number;
  peakCount: number;
  /** Per channel, (min, max) pairs of the finest peaks level over [from, to). */
  pairs: Int16Array[];
  peakAbs: number;
  /**
   * Per chunk, in order: source energy, residual energy, sampled residual energy, then for each
   * stem its dot product with the residual and its sampled energy. Kept per chunk so parts merge
   * by adding in chunk order, exactly as one pass adds them.
   */
  chunkSums: Float64Array;
  cpuMs: number;
}

/** The steps of a residual, each run by a decode worker: align, the parts (in parallel), publish. */
export type ResidualStep =
  | ({ format: 'residual-plan' } & ResidualInput)
  | { format: 'residual-part'; outBase: string; plan: ResidualPlan; from: number; to: number }
  | { format: 'residual-finish'; outBase: string; plan: ResidualPlan; parts: ResidualPart[] };

export type ResidualStepResult<J extends ResidualStep> = J extends { format: 'residual-plan' }
  ? ResidualPlan
  : J extends { format: 'residual-part' }
    ? ResidualPart
    : ResidualResult;
