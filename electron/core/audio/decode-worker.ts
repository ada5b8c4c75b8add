// Entry point of a decode worker thread: takes one job (an MP3, WAV, AIFF or FLAC ingest, an MP3
// still downloading, a step of a residual, or a source conformed to another rate) at a time from the
// pool and answers with the result or the error as data, so no file is parsed on the host's thread.
import { MessagePort, parentPort } from 'node:worker_threads';
import { toIngestError } from './errors.ts';
import { runDecodeJob } from './decode-job.ts';
import { WORKER_READY, type PoolReply, type PoolRequest } from './decoder-pool.ts';
import { lowerThisThreadPriority } from './thread-priority.ts';
import type { DecodeJob, DecodeJobResult } from './types.ts';

function isRequest(message: unknown): message is PoolRequest<DecodeJob> {
  if (typeof message !== 'object' || message === null || !('id' in message) || !('input' in message))
    return false;
  const input = message.input;
  if (
    typeof input !== 'object' ||
    input === null ||
    !('outBase' in input) ||
    typeof input.outBase !== 'string'
  )
    return false;
  if ('format' in input && input.format === 'mp3-stream')
    return 'port' in input && input.port instanceof MessagePort && 'expectedBytes' in input;
  if ('format' in input && input.format === 'residual-plan')
    return 'source' in input && 'stems' in input && Array.isArray(input.stems);
  if ('format' in input && input.format === 'residual-part')
    return 'plan' in input && typeof input.plan === 'object' && 'from' in input && 'to' in input;
  if ('format' in input && input.format === 'residual-finish')
    return 'plan' in input && 'parts' in input && Array.isArray(input.parts);
  if ('format' in input && input.format === 'conform')
    return 'source' in input && 'sampleRate' in input && typeof input.sampleRate === 'number';
  if ('format' in input && input.format === 'wav')
    return 'wavPath' in input && typeof input.wavPath === 'string';
  if ('format' in input && input.format === 'flac')
    return 'flacPath' in input && typeof input.flacPath === 'string';
  return 'mp3Path' in input && typeof input.mp3Path === 'string';
}

async function handle(request: PoolRequest<DecodeJob>): Promise<PoolReply<DecodeJobResult<DecodeJob>>> {
  try {
    return { id: request.id, ok: true, value: await runDecodeJob(request.input) };
  } catch (error) {
    const ingestError = toIngestError(error);
    return { id: request.id, ok: false, error: { code: ingestError.code, message: ingestError.message } };
  }
}

const port = parentPort;
if (!port) throw new Error('decode-worker.ts must be started as a worker thread');
lowerThisThreadPriority();
port.on('message', (message: unknown) => {
  if (isRequest(message)) return void handle(message).then((reply) => port.postMessage(reply));
  // A job this worker cannot read is answered, not dropped: the pool would wait for it forever.
  const id = typeof message === 'object' && message !== null && 'id' in message ? message.id : null;
  if (typeof id === 'number') {
    const error = { code: 'internal', message: 'The decode worker was sent a job it does not know.' };
    port.postMessage({ id, ok: false, error } satisfies PoolReply<never>);
  }
});
// Every import above has loaded: from here on a death is a crash, not a worker that cannot start.
port.postMessage(WORKER_READY);
