// The benchmark's baseline side: the single-pass residual as it was before parts, run in a worker
// thread of its own, so both sides compute off the bench's main thread and pay a thread hop.
import { parentPort } from 'node:worker_threads';
import type { ResidualInput } from '../../electron/core/audio/index.ts';
import { computeResidualSinglePass } from '../helpers/residual-single-pass.ts';

const port = parentPort;
if (!port) throw new Error('residual-baseline-worker.ts must be started as a worker thread');
port.on('message', (input: ResidualInput) => {
  try {
    port.postMessage({ ok: true, value: computeResidualSinglePass(input) });
  } catch (error) {
    port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
