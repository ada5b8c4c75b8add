// `stemhook serve`: starts the host and keeps it up until SIGINT/SIGTERM, then shuts down cleanly.
import { parseArgs } from 'node:util';
import type { HostConfig } from '../host/config.ts';
import { installProcessGuards } from '../host/process-guards.ts';
import { startServe } from '../host/serve.ts';
import { CliError } from './client.ts';
import { printErr, printOut } from './terminal-text.ts';

export async function runServe(config: HostConfig, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port)) throw new CliError('--port must be a number');
  const effective = values['data-dir'] ? { ...config, dataDir: values['data-dir'] } : config;
  installProcessGuards();
  const host = await startServe(effective, { apiPort: port });
  printOut(
    `Stemhook ${host.core.mode === 'demo' ? 'DEMO mode (simulated KIE, no API key set)' : 'live'}; library ${effective.dataDir}`,
  );
  printOut(`Open ${host.api.uiUrl}`);
  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    printOut(`${signal}: shutting down`);
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        printErr(`stemhook: shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
