// Runs tempo/key analysis once for every ingested track that has none, one track at a time, and
// records the outcome. The queue is the tracks table itself (analysis_state IS NULL), so a track
// whose analysis a stop or crash interrupted is simply picked up again at the next start.
import type { AnalysisInput } from '../analysis/index.ts';
import type { DetectedAnalysis, Store, TrackRow } from '../store/index.ts';

export type AnalyseFn = (input: AnalysisInput) => Promise<DetectedAnalysis>;

export interface AnalysisQueue {
  start(): void;
  /** A track was ingested: look for work now. */
  kick(): void;
  stop(): Promise<void>;
  /** Resolves once no track is waiting for analysis (or the queue is stopped). */
  idle(): Promise<void>;
}

export function createAnalysisQueue(options: {
  store: Store;
  analyse: AnalyseFn;
  now?: () => number;
  onChange?: (track: { trackId: string; taskId: string }) => void;
  log?: (line: string) => void;
}): AnalysisQueue {
  const { store, analyse } = options;
  const now = options.now ?? Date.now;
  let isActive = false;
  let running: Promise<void> | null = null;
  let idleWaiters: Array<() => void> = [];

  function settleIdle(): void {
    if (running) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async function analyseOne(track: TrackRow): Promise<void> {
    const { pcm_path: pcmPath, channels, sample_rate: sampleRate } = track;
    try {
      if (!pcmPath || !channels || !sampleRate) throw new Error('the track has no decoded audio');
      // A near-silent stem (an instrument the song does not have) has neither; skip the work.
      const result =
        track.is_near_silent === 1
          ? { tempo: null, key: null }
          : await analyse({ pcmPath, channels, sampleRate });
      if (store.isOpen()) store.tracks.setAnalysis(track.id, result, now());
    } catch (error) {
      // Stopped mid-analysis (the worker was terminated): the track stays queued for the next start.
      if (!isActive) return;
      const message = error instanceof Error ? error.message : String(error);
      options.log?.(`analysis: track ${track.id}: ${message}`);
      if (store.isOpen())
        store.tracks.setAnalysisFailed(track.id, `Tempo and key could not be analysed: ${message}`, now());
    }
    options.onChange?.({ trackId: track.id, taskId: track.task_id });
  }

  async function drain(): Promise<void> {
    while (isActive && store.isOpen()) {
      const [track] = store.tracks.awaitingAnalysis(1);
      if (!track) break;
      await analyseOne(track);
    }
  }

  function pump(): void {
    if (!isActive || running) return;
    running = drain().finally(() => {
      running = null;
      settleIdle();
    });
  }

  return {
    start() {
      isActive = true;
      pump();
    },
    kick: pump,
    /** Takes no more work; an analysis under way is abandoned when its worker is closed. */
    async stop() {
      isActive = false;
      settleIdle();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
  };
}
