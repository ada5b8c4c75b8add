// The desktop vault with a fake keychain cipher: secrets encrypted at rest, decrypted once at start,
// moved out of the plain file, and, without a keyring, kept for the session or saved as chosen.
// Secret values never appear in the files (when encrypted) or in the log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileVault, SecretStoreUnreadableError } from '../../electron/core/host/secret-vault.ts';
import {
  KEYCHAIN_FILE,
  openKeychainVault,
  type SecretCipher,
  type WeakStorageChoice,
} from '../../electron/shell/keychain-vault.ts';

const API_KEY = 'kie-secret-api-key-0123456789';
const NGROK = 'ngrok-secret-token-abcdef';

/** Reversible but not plain: every byte flipped, with a marker so a wrong key is detectable. */
function fakeCipher(isStrong: boolean, options: { key?: number; isStale?: boolean } = {}): SecretCipher {
  const key = options.key ?? 0x5a;
  return {
    isStrong,
    encrypt: async (text) =>
      Buffer.concat([Buffer.from([key]), Buffer.from(Buffer.from(text).map((b) => b ^ key))]),
    async decrypt(data) {
      if (data[0] !== key) throw new Error('wrong key');
      return {
        text: Buffer.from(data.subarray(1).map((b) => b ^ key)).toString(),
        isStale: options.isStale ?? false,
      };
    },
  };
}

let dataDir = '';
let logs: string[] = [];
let asked = 0;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stemhook-vault-'));
  logs = [];
  asked = 0;
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const open = (cipher: SecretCipher | null, choice: WeakStorageChoice = 'session-only') =>
  openKeychainVault({
    dataDir,
    cipher,
    askWeakStorage: () => {
      asked++;
      return choice;
    },
    log: (line) => logs.push(line),
  });
const fileText = () => readFileSync(join(dataDir, KEYCHAIN_FILE), 'utf8');

describe('keychain vault with an OS keychain', () => {
  it('encrypts at rest (0600), reads back after a restart, and forgets cleared secrets', async () => {
    const vault = await open(fakeCipher(true));
    expect(vault.isEncrypted).toBe(true);
    vault.set('apiKey', API_KEY);
    vault.set('ngrokAuthtoken', NGROK);
    expect(vault.get('apiKey')).toBe(API_KEY);
    await vault.flush();
    expect(fileText()).not.toContain(API_KEY);
    expect(fileText()).not.toContain(NGROK);
    expect(statSync(join(dataDir, KEYCHAIN_FILE)).mode & 0o777).toBe(0o600);

    const again = await open(fakeCipher(true));
    expect(again.get('apiKey')).toBe(API_KEY);
    again.set('apiKey', null);
    await again.flush();
    expect((await open(fakeCipher(true))).get('apiKey')).toBeNull();
    expect(asked).toBe(0);
    expect(logs.join('\n')).not.toMatch(new RegExp(`${API_KEY}|${NGROK}`));
  });

  it('moves secrets saved by `stemhook serve` (plain file) into the keychain', async () => {
    createFileVault(dataDir).set('apiKey', API_KEY);
    const vault = await open(fakeCipher(true));
    await vault.flush();
    expect(vault.get('apiKey')).toBe(API_KEY);
    expect(createFileVault(dataDir).get('apiKey')).toBeNull();
    expect(fileText()).not.toContain(API_KEY);
    expect(logs).toEqual(['Moved the apiKey from secrets.json into the OS keychain.']);
  });

  it('keeps a secret it cannot decrypt (keychain locked or denied), says so, and retries next start', async () => {
    const first = await open(fakeCipher(true, { key: 1 }));
    first.set('hmacKey', 'hmac-secret-value');
    first.set('apiKey', API_KEY);
    await first.flush();
    const before = JSON.parse(fileText()) as { secrets: Record<string, string> };

    // A denied prompt: every decrypt fails this session.
    const vault = await open(fakeCipher(true, { key: 2 }));
    expect(vault.get('hmacKey')).toBeNull();
    expect(vault.problem?.()).toMatch(/could not unlock your saved apiKey, hmacKey.*They are kept/);
    expect(logs.join('\n')).toMatch(/could not unlock/);
    // Saving another secret must write the unreadable ones back unchanged.
    vault.set('ngrokAuthtoken', NGROK);
    await vault.flush();
    const after = JSON.parse(fileText()) as { secrets: Record<string, string> };
    expect(after.secrets.hmacKey).toBe(before.secrets.hmacKey);
    expect(after.secrets.apiKey).toBe(before.secrets.apiKey);

    // The keychain answers again at the next start: nothing was lost.
    const unlocked = await open(fakeCipher(true, { key: 1 }));
    expect(unlocked.get('hmacKey')).toBe('hmac-secret-value');
    expect(unlocked.get('apiKey')).toBe(API_KEY);
    // (The token saved while the other key answered is now the one this keychain cannot read.)
    expect(unlocked.problem?.()).toMatch(/could not unlock your saved ngrokAuthtoken\b/);
    expect(logs.join('\n')).not.toMatch(new RegExp(`${API_KEY}|hmac-secret-value`));
  });

  it('drops an unreadable secret only when the producer replaces or clears it', async () => {
    const first = await open(fakeCipher(true, { key: 1 }));
    first.set('hmacKey', 'hmac-secret-value');
    first.set('apiKey', API_KEY);
    await first.flush();
    const locked = await open(fakeCipher(true, { key: 2 }));
    locked.set('hmacKey', 'replaced-hmac');
    locked.set('apiKey', null);
    await locked.flush();
    const later = await open(fakeCipher(true, { key: 2 }));
    expect(later.get('hmacKey')).toBe('replaced-hmac');
    expect(later.get('apiKey')).toBeNull();
    expect(later.problem?.()).toBeNull();
  });

  it('a session without any encryption, then one save, keeps the other encrypted secrets', async () => {
    const first = await open(fakeCipher(true, { key: 7 }));
    first.set('apiKey', API_KEY);
    first.set('hmacKey', 'hmac-secret-value');
    await first.flush();
    const noCipher = await open(null, 'session-only');
    expect(noCipher.get('apiKey')).toBeNull();
    noCipher.set('ngrokAuthtoken', NGROK);
    await noCipher.flush();
    const back = await open(fakeCipher(true, { key: 7 }));
    expect(back.get('apiKey')).toBe(API_KEY);
    expect(back.get('hmacKey')).toBe('hmac-secret-value');
  });

  it('moves a damaged vault file aside instead of overwriting it', async () => {
    writeFileSync(join(dataDir, KEYCHAIN_FILE), '{"version":1,"secrets":{"apiKey":"AAE', { mode: 0o600 });
    const vault = await open(fakeCipher(true));
    expect(vault.problem?.()).toMatch(
      /could not read its saved keys .*not complete JSON.*kept as .*damaged-/,
    );
    vault.set('ngrokAuthtoken', NGROK);
    await vault.flush();
    const aside = readdirSync(dataDir).filter((name) => name.startsWith(`${KEYCHAIN_FILE}.damaged-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0]!), 'utf8')).toBe('{"version":1,"secrets":{"apiKey":"AAE');
    expect((await open(fakeCipher(true))).get('ngrokAuthtoken')).toBe(NGROK);
  });

  it('re-encrypts secrets the keychain marks as stale (rotated key)', async () => {
    const first = await open(fakeCipher(true, { key: 3 }));
    first.set('apiKey', API_KEY);
    await first.flush();
    const oldKey = fakeCipher(true, { key: 3, isStale: true });
    const newKey = fakeCipher(true, { key: 4 });
    const rotating: SecretCipher = {
      isStrong: true,
      encrypt: newKey.encrypt,
      decrypt: (data) => (data[0] === 3 ? oldKey.decrypt(data) : newKey.decrypt(data)),
    };
    const vault = await open(rotating);
    await vault.flush();
    expect(vault.get('apiKey')).toBe(API_KEY);
    expect((await open(fakeCipher(true, { key: 4 }))).get('apiKey')).toBe(API_KEY);
  });
});

describe('keychain vault without a keyring', () => {
  it('asks once; "session only" keeps secrets in memory and nothing on disk', async () => {
    const vault = await open(fakeCipher(false), 'session-only');
    expect(vault.isEncrypted).toBe(false);
    expect(vault.storage()).toBe('undecided');
    vault.set('apiKey', API_KEY);
    vault.set('ngrokAuthtoken', NGROK);
    await vault.flush();
    expect(asked).toBe(1);
    expect(vault.get('apiKey')).toBe(API_KEY);
    expect(vault.storage()).toBe('session-only');
    expect(fileText()).not.toContain(API_KEY);
    const next = await open(fakeCipher(false));
    expect(next.get('apiKey')).toBeNull();
    next.set('apiKey', API_KEY);
    expect(asked).toBe(1);
  });

  it('"save anyway" persists with the weak cipher and is remembered', async () => {
    const vault = await open(fakeCipher(false), 'persist');
    vault.set('apiKey', API_KEY);
    await vault.flush();
    expect(vault.storage()).toBe('weak');
    const next = await open(fakeCipher(false));
    expect(next.get('apiKey')).toBe(API_KEY);
    expect(asked).toBe(1);
  });

  it('with no encryption at all, "save anyway" falls back to the 0600 file `stemhook serve` uses', async () => {
    const vault = await open(null, 'persist');
    vault.set('apiKey', API_KEY);
    await vault.flush();
    expect(createFileVault(dataDir).get('apiKey')).toBe(API_KEY);
    expect((await open(null)).get('apiKey')).toBe(API_KEY);
  });

  it('clearing a secret does not ask, and removes a stale copy from the plain file', async () => {
    writeFileSync(join(dataDir, 'secrets.json'), JSON.stringify({ hmacKey: 'old-hmac' }), { mode: 0o600 });
    const vault = await open(fakeCipher(false));
    expect(vault.get('hmacKey')).toBe('old-hmac');
    vault.set('hmacKey', null);
    await vault.flush();
    expect(asked).toBe(0);
    expect(createFileVault(dataDir).get('hmacKey')).toBeNull();
    expect((await open(fakeCipher(false))).get('hmacKey')).toBeNull();
  });
});

describe('the plain 0600 file vault (`stemhook serve`)', () => {
  const plainPath = () => join(dataDir, 'secrets.json');

  it('refuses a truncated file instead of reading it as empty, and never rewrites it', () => {
    writeFileSync(plainPath(), '{"apiKey":"kie-secret-api-key-01', { mode: 0o600 });
    const vault = createFileVault(dataDir);
    expect(() => vault.get('apiKey')).toThrow(SecretStoreUnreadableError);
    expect(() => vault.set('hmacKey', 'new-hmac')).toThrow(
      /could not read its saved keys in .*secrets\.json/,
    );
    expect(readFileSync(plainPath(), 'utf8')).toBe('{"apiKey":"kie-secret-api-key-01');
    expect(vault.problem?.()).toMatch(/not complete JSON/);
  });

  it('refuses a file whose values are not text', () => {
    writeFileSync(plainPath(), JSON.stringify({ apiKey: 42 }), { mode: 0o600 });
    expect(() => createFileVault(dataDir).get('apiKey')).toThrow(/"apiKey" is not text/);
  });

  it('stays 0600 even when a stale 0644 temp file is lying around', () => {
    writeFileSync(`${plainPath()}.part`, 'stale', { mode: 0o644 });
    const vault = createFileVault(dataDir);
    vault.set('apiKey', API_KEY);
    expect(statSync(plainPath()).mode & 0o777).toBe(0o600);
    expect(vault.get('apiKey')).toBe(API_KEY);
  });

  it('keeps entries it does not know (a newer version) when it rewrites the file', () => {
    writeFileSync(plainPath(), JSON.stringify({ futureKey: 'keep-me' }), { mode: 0o600 });
    createFileVault(dataDir).set('apiKey', API_KEY);
    expect(JSON.parse(readFileSync(plainPath(), 'utf8'))).toEqual({ futureKey: 'keep-me', apiKey: API_KEY });
  });
});
