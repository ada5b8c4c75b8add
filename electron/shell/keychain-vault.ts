// The desktop app's secret vault: API key, HMAC key and ngrok token encrypted with an OS-keychain
// cipher (Electron's safeStorage, passed in so Node tests can use a fake), decrypted once at start
// and held in memory. Without a keyring the user chooses: keep secrets for this session only, or
// save them with weak protection. A secret that cannot be decrypted (keychain locked or denied) is
// kept as ciphertext and retried at the next start; only the producer replaces or clears it.
// Values are never logged.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  createFileVault,
  readJsonObjectFile,
  SECRET_NAMES,
  SecretStoreUnreadableError,
  type SecretName,
  type SecretVault,
} from '../core/host/secret-vault.ts';
import { writePrivateFileAtomic } from '../core/host/private-file.ts';

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

/**
 * Reads the vault file. A damaged file is moved aside (kept, never overwritten) and reported, so
 * the next save cannot destroy what a repair might still recover.
 */
function readVaultFile(
  path: string,
  log: (line: string) => void,
): { file: VaultFile; problem: string | null } {
  let parsed: Record<string, unknown> | null;
  try {
    parsed = readJsonObjectFile(path);
  } catch (error) {
    const aside = `${path}.damaged-${Date.now()}`;
    let kept = `it was left at ${path}`;
    try {
      renameSync(path, aside);
      kept = `it was kept as ${aside}`;
    } catch {
      // Could not move it: leave it where it is (still never rewritten from an empty parse).
    }
    const reason = error instanceof SecretStoreUnreadableError ? error.reason : 'unreadable';
    const problem = `Stemhook could not read its saved keys in ${path} (${reason}); ${kept}. Enter your keys again in Settings.`;
    log(problem);
    return { file: { version: 1, secrets: {} }, problem };
  }
  const secrets: VaultFile['secrets'] = {};
  const saved = (parsed?.secrets ?? {}) as Record<string, unknown>;
  for (const name of SECRET_NAMES) if (typeof saved[name] === 'string') secrets[name] = saved[name];
  const weakChoice = parsed?.weakChoice;
  return {
    file: {
      version: 1,
      secrets,
      ...(weakChoice === 'persist' || weakChoice === 'session-only' ? { weakChoice } : {}),
    },
    problem: null,
  };
}

function lockedMessage(names: SecretName[]): string {
  return (
    `Stemhook could not unlock your saved ${names.join(', ')} (the keychain was locked, denied access ` +
    'or did not answer). They are kept and will be tried again at the next start; unlock your ' +
    'keychain and restart Stemhook, or enter them again in Settings to replace them.'
  );
}

export async function openKeychainVault(options: KeychainVaultOptions): Promise<KeychainVault> {
  const path = join(options.dataDir, KEYCHAIN_FILE);
  const plainVault = createFileVault(options.dataDir);
  const { file: saved, problem: fileProblem } = readVaultFile(path, options.log);
  const memory = new Map<SecretName, string>();
  // Ciphertexts we could not decrypt this session: written back unchanged until the producer
  // replaces or clears them. Destroying a secret we merely failed to read would lose it for good.
  const locked = new Map<SecretName, string>();
  const isStrong = options.cipher?.isStrong === true;
  let weakChoice = saved.weakChoice;
  let needsWrite = false;
  let plainProblem: string | null = null;
  const readPlain = (name: SecretName): string | null => {
    try {
      return plainVault.get(name);
    } catch (error) {
      plainProblem = (error as Error).message;
      return null;
    }
  };

  for (const name of SECRET_NAMES) {
    const encrypted = saved.secrets[name];
    if (encrypted) {
      try {
        if (!options.cipher) throw new Error('no encryption available');
        const { text, isStale } = await options.cipher.decrypt(Buffer.from(encrypted, 'base64'));
        memory.set(name, text);
        needsWrite ||= isStale;
      } catch {
        locked.set(name, encrypted);
      }
    }
    // Secrets saved by `stemhook serve` (a 0600 file): adopt them; with a keychain, move them in.
    const plain = memory.has(name) || locked.has(name) ? null : readPlain(name);
    if (plain) {
      memory.set(name, plain);
      if (isStrong) {
        plainVault.set(name, null);
        needsWrite = true;
        options.log(`Moved the ${name} from secrets.json into the OS keychain.`);
      }
    }
  }
  if (locked.size > 0) options.log(lockedMessage([...locked.keys()]));
  if (plainProblem) options.log(plainProblem);

  const shouldPersist = (): boolean => isStrong || (weakChoice === 'persist' && options.cipher !== null);
  let pending: Promise<void> = Promise.resolve();
  const write = async (): Promise<void> => {
    const secrets: VaultFile['secrets'] = Object.fromEntries(locked);
    if (shouldPersist() && options.cipher) {
      for (const [name, value] of memory)
        secrets[name] = (await options.cipher.encrypt(value)).toString('base64');
    }
    const file: VaultFile = { version: 1, secrets, ...(weakChoice ? { weakChoice } : {}) };
    writePrivateFileAtomic(path, JSON.stringify(file));
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
      // The producer replaced or cleared it: only now may the unreadable ciphertext go.
      locked.delete(name);
      // A copy left in the plain file would come back at the next start; the user just replaced it.
      if (readPlain(name) !== null) plainVault.set(name, null);
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
    problem() {
      if (locked.size > 0) return lockedMessage([...locked.keys()]);
      return fileProblem ?? plainProblem;
    },
    storage() {
      if (isStrong) return 'keychain';
      if (weakChoice === 'persist') return 'weak';
      return weakChoice ?? 'undecided';
    },
    flush: () => pending,
  };
}
