// The desktop app's secret vault: API key, HMAC key and ngrok token encrypted with an OS-keychain
// cipher (Electron's safeStorage, passed in so Node tests can use a fake), decrypted once at start
// and held in memory. Without a keyring the user chooses: keep secrets for this session only, or
// save them with weak protection. Values are never logged.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createFileVault,
  SECRET_NAMES,
  type SecretName,
  type SecretVault,
} from '../core/host/secret-vault.ts';

export interface SecretCipher {
  /** True when an OS keychain guards the key (not Linux's "basic_text" fallback). */
  isStrong: boolean;
  encrypt(text: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<{ text: string; isStale: boolean }>;
}

export type WeakStorageChoice = 'persist' | 'session-only';

export interface KeychainVaultOptions {
  dataDir: string;
  /** Null where no encryption is available at all. */
  cipher: SecretCipher | null;
  /** Asked (once, remembered) the first time a secret is saved without a keyring. */
  askWeakStorage: () => WeakStorageChoice;
  log: (line: string) => void;
}

export interface KeychainVault extends SecretVault {
  storage(): 'keychain' | 'weak' | 'session-only' | 'undecided';
  /** Resolves once every change so far is on disk (call before quitting). */
  flush(): Promise<void>;
}

interface VaultFile {
  version: 1;
  weakChoice?: WeakStorageChoice;
  secrets: Partial<Record<SecretName, string>>;
}

export const KEYCHAIN_FILE = 'secrets.keychain.json';

function readVaultFile(path: string): VaultFile {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<VaultFile>;
    return {
      version: 1,
      secrets: parsed.secrets ?? {},
      ...(parsed.weakChoice ? { weakChoice: parsed.weakChoice } : {}),
    };
  } catch {
    return { version: 1, secrets: {} };
  }
}

export async function openKeychainVault(options: KeychainVaultOptions): Promise<KeychainVault> {
  const path = join(options.dataDir, KEYCHAIN_FILE);
  const plainVault = createFileVault(options.dataDir);
  const saved = readVaultFile(path);
  const memory = new Map<SecretName, string>();
  const isStrong = options.cipher?.isStrong === true;
  let weakChoice = saved.weakChoice;
  let needsWrite = false;

  for (const name of SECRET_NAMES) {
    const encrypted = saved.secrets[name];
    if (encrypted && options.cipher) {
      try {
        const { text, isStale } = await options.cipher.decrypt(Buffer.from(encrypted, 'base64'));
        memory.set(name, text);
        needsWrite ||= isStale;
      } catch {
        options.log(
          `The saved ${name} could not be decrypted (the keychain changed?); enter it again in Settings.`,
        );
        needsWrite = true;
      }
    }
    // Secrets saved by `stemhook serve` (a 0600 file): adopt them; with a keychain, move them in.
    const plain = memory.has(name) ? null : plainVault.get(name);
    if (plain) {
      memory.set(name, plain);
      if (isStrong) {
        plainVault.set(name, null);
        needsWrite = true;
        options.log(`Moved the ${name} from secrets.json into the OS keychain.`);
      }
    }
  }

  const shouldPersist = (): boolean => isStrong || (weakChoice === 'persist' && options.cipher !== null);
  let pending: Promise<void> = Promise.resolve();
  const write = async (): Promise<void> => {
    const secrets: VaultFile['secrets'] = {};
    if (shouldPersist() && options.cipher) {
      for (const [name, value] of memory)
        secrets[name] = (await options.cipher.encrypt(value)).toString('base64');
    }
    const file: VaultFile = { version: 1, secrets, ...(weakChoice ? { weakChoice } : {}) };
    writeFileSync(`${path}.part`, JSON.stringify(file), { mode: 0o600 });
    renameSync(`${path}.part`, path);
  };
  const schedule = (): void => {
    pending = pending
      .then(write)
      .catch((error: unknown) => options.log(`Could not save secrets: ${(error as Error).message}`));
  };
  if (needsWrite) schedule();

  return {
    isEncrypted: isStrong,
    get: (name) => memory.get(name) ?? null,
    set(name, value) {
      if (value) memory.set(name, value);
      else memory.delete(name);
      // A copy left in the plain file would come back at the next start; the user just replaced it.
      if (plainVault.get(name) !== null) plainVault.set(name, null);
      if (!isStrong && value && !weakChoice) {
        weakChoice = options.askWeakStorage();
        options.log(
          weakChoice === 'persist'
            ? 'No keyring: saving secrets with weak protection, as chosen.'
            : 'No keyring: secrets are kept for this session only, as chosen.',
        );
      }
      if (weakChoice === 'persist' && !options.cipher && value) plainVault.set(name, value);
      schedule();
    },
    storage() {
      if (isStrong) return 'keychain';
      if (weakChoice === 'persist') return 'weak';
      return weakChoice ?? 'undecided';
    },
    flush: () => pending,
  };
}
