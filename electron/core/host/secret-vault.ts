// Where secrets (API key, HMAC key, ngrok token) live. The desktop shell plugs in an OS-keychain
// vault (safeStorage); the headless host keeps them in a 0600 file in the data dir and says so.
// A secrets file that cannot be read is never treated as empty: starting a live library in demo
// mode, or rewriting the file from `{}`, would silently lose the producer's keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StemhookError } from '../stemhook-error.ts';
import { writePrivateFileAtomic } from './private-file.ts';

export const SECRET_NAMES = ['apiKey', 'hmacKey', 'ngrokAuthtoken'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export interface SecretVault {
  get(name: SecretName): string | null;
  set(name: SecretName, value: string | null): void;
  isEncrypted: boolean;
  /** A plain sentence when saved secrets exist but cannot be used right now (shown in Settings). */
  problem?(): string | null;
}

export class SecretStoreUnreadableError extends StemhookError<'secret_store_unreadable'> {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(
      'secret_store_unreadable',
      `Stemhook could not read its saved keys in ${path} (${reason}). The file was left as it is. ` +
        'Restore it from a backup, or move it aside and enter your keys again in Settings.',
    );
    this.name = 'SecretStoreUnreadableError';
    this.path = path;
    this.reason = reason;
  }
}

/** Reads a JSON object file; a missing file is null, anything damaged throws with the reason. */
export function readJsonObjectFile(path: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SecretStoreUnreadableError(path, (error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretStoreUnreadableError(path, 'the file is damaged: it is not complete JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SecretStoreUnreadableError(path, 'the file is damaged: it does not hold a JSON object');
  return parsed as Record<string, unknown>;
}

/** Every entry of the file (names a newer version added are kept on rewrite, not dropped). */
function readSecrets(path: string): Record<string, string> {
  const parsed = readJsonObjectFile(path) ?? {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string')
      throw new SecretStoreUnreadableError(path, `the file is damaged: "${name}" is not text`);
  }
  return parsed as Record<string, string>;
}

export function createFileVault(dataDir: string): SecretVault {
  const path = join(dataDir, 'secrets.json');
  return {
    isEncrypted: false,
    get: (name) => readSecrets(path)[name] ?? null,
    set(name, value) {
      // Throws on a damaged file rather than rewriting it without the other keys.
      const next = { ...readSecrets(path) };
      if (value) next[name] = value;
      else delete next[name];
      writePrivateFileAtomic(path, JSON.stringify(next));
    },
    problem() {
      try {
        readSecrets(path);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },
  };
}
