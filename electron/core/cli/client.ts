// The CLI's side of the contract: finds the running host through host.json and calls it.
import type { ApiInput, ApiMethod, ApiOutput } from '../../../shared/api.ts';
import type { Result } from '../../../shared/result.ts';
import { readHostFile, type HostFile } from '../host/host-file.ts';

export class CliError extends Error {
  exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function findHost(dataDir: string): HostFile {
  const host = readHostFile(dataDir);
  if (!host) {
    throw new CliError(
      `no running Stemhook for ${dataDir}. Start one with \`npx stemhook serve\` (or open the app), then retry.`,
      2,
    );
  }
  return host;
}

export async function call<M extends ApiMethod>(
  host: HostFile,
  method: M,
  input: ApiInput<M>,
): Promise<ApiOutput<M>> {
  let response: Response;
  try {
    response = await fetch(`${host.apiUrl}/call/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
  } catch {
    throw new CliError(
      `the Stemhook host (pid ${host.pid}) does not answer at ${host.apiUrl}. Is it still running? Start it with \`npx stemhook serve\`.`,
      2,
    );
  }
  const result = (await response.json().catch(() => null)) as Result<ApiOutput<M>> | null;
  if (!result) throw new CliError(`the host answered HTTP ${response.status} without a result`);
  if (!result.ok) throw new CliError(`${result.error.message} [${result.error.code}]`);
  return result.value;
}
