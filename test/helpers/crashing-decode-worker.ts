// A decode worker that dies, as a thread, on the second part of a residual whose output name
// contains "crash" (the way a native fault or running out of memory ends one), and runs every other
// job as the real worker does: the real entry is loaded after this listener, which sees each
// message first.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (message: unknown) => {
  const input = (message as { input?: { format?: string; from?: number; outBase?: string } }).input;
  if (input?.format === 'residual-part' && (input.from ?? 0) > 0 && input.outBase?.includes('crash'))
    process.exit(70);
});
await import('../../electron/core/audio/decode-worker.ts');
