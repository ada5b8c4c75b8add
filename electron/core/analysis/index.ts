// Public face of tempo and key analysis: one worker thread that analyses PCM caches in turn, so
// the host's main thread never runs the FFTs.
import { Worker } from 'node:worker_threads';
import { createWorkerPool } from '../audio/decoder-pool.ts';
import type { DetectedAnalysis } from '../store/index.ts';
import type { AnalysisInput } from './analyse.ts';

export type { AnalysisInput } from './analyse.ts';

export interface Analyser {
  /** Rejects with the worker's message when the file cannot be analysed. */
  analyse(input: AnalysisInput): Promise<DetectedAnalysis>;
  close(): Promise<void>;
}

// Same trick as the decode workers: .ts from source, .js next to the desktop bundle.
const workerFile = `./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`;

/** One worker: analysis is background work and must not take cores from decoding or the UI. */
export function createAnalyser(): Analyser {
  const pool = createWorkerPool<AnalysisInput, DetectedAnalysis>({
    size: 1,
    spawn: () => new Worker(new URL(workerFile, import.meta.url)),
  });
  return {
    async analyse(input) {
      const reply = await pool.run(input);
      if (reply.ok) return reply.value;
      throw new Error(reply.error.message);
    },
    close: () => pool.close(),
  };
}
