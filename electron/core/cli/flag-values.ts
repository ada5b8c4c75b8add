// Flag values the CLI checks before anything is sent to the host: a wrong value is one plain line
// and exit 1, never a silent default (a `--timeout abc` that never times out, a `--state bogus`
// that reads as "no tasks yet").
import { resolve } from 'node:path';
import { CliError } from './client.ts';

/** A week: longer waits are a typo, not a plan. */
const MAX_SECONDS = 7 * 24 * 3600;

export function parseSeconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS)
    throw new CliError(
      `--${flag} must be a number of seconds above 0 and at most ${MAX_SECONDS}, not "${value}"`,
    );
  return seconds;
}

export function parseChoice<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new CliError(`--${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

/** A folder given on the command line, made absolute against the working folder; never empty. */
export function parseFolder(flag: string, value: string | undefined, cwd: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '')
    throw new CliError(`--${flag} needs a folder, for example --${flag} ~/Music/stems`);
  return resolve(cwd, value);
}
