// Entry point of an analysis worker thread: analyses one PCM cache at a time, off the main thread,
// and answers with the result or the error as data.
import { parentPort } from 'node:worker_threads';
import type { PoolReply, PoolRequest } from '../audio/decoder-pool.ts';
import { lowerThisThreadPriority } from '../audio/thread-priority.ts';
import type { DetectedAnalysis } from '../store/index.ts';
import { analysePcmCache, type AnalysisInput } from './analyse.ts';

function isRequest(message: unknown): message is PoolRequest<AnalysisInput> {
  if (typeof message !== 'object' || message === null || !('id' in message) || !('input' in message))
    return false;
  const input = message.input as Partial<AnalysisInput> | null;
  return (
    typeof input?.pcmPath === 'string' &&
    Number.isInteger(input.channels) &&
    typeof input.sampleRate === 'number'
  );
}

async function handle(request: PoolRequest<AnalysisInput>): Promise<PoolReply<DetectedAnalysis>> {
  try {
    return { id: request.id, ok: true, value: await analysePcmCache(request.input) };
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: { code: 'analysis', message: String((error as Error)?.message ?? error) },
    };
  }
}

const port = parentPort;
if (!port) throw new Error('analysis-worker.ts must be started as a worker thread');
lowerThisThreadPriority();
port.on('message', (message: unknown) => {
  if (!isRequest(message)) return;
  void handle(message).then((reply) => port.postMessage(reply));
});
