// Where secrets (API key, HMAC key, ngrok token) live. The desktop shell plugs in an OS-keychain
// vault (safeStorage); the headless host keeps them in a 0600 file in the data dir and says so.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_NAMES = ['apiKey', 'hmacKey', 'ngrokAuthtoken'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export interface SecretVault {
  get(name: SecretName): string | null;
  set(name: SecretName, value: string | null): void;
  isEncrypted: boolean;
}

export function createFileVault(dataDir: string): SecretVault {
  const path = join(dataDir, 'secrets.json');
  const read = (): Partial<Record<SecretName, string>> => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<SecretName, string>>;
    } catch {
      return {};
    }
  };
  return {
    isEncrypted: false,
    get: (name) => read()[name] ?? null,
    set(name, value) {
      const next = { ...read() };
      if (value) next[name] = value;
      else delete next[name];
      writeFileSync(`${path}.part`, JSON.stringify(next), { mode: 0o600 });
      renameSync(`${path}.part`, path);
    },
  };
}
