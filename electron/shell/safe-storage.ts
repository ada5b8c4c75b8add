// Electron's safeStorage (its async API, present in Electron 45) as the vault's cipher, and the one
// question asked when Linux has no keyring: keep secrets for this session, or save them anyway.
import { dialog, safeStorage, type BrowserWindow, type MessageBoxSyncOptions } from 'electron';
import type { SecretCipher, WeakStorageChoice } from './keychain-vault.ts';

/** Null when the OS offers no encryption at all. Call after the app is ready. */
export async function createSafeStorageCipher(): Promise<SecretCipher | null> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return null;
  // On Linux without a keyring Chromium falls back to a fixed, public key ("basic_text").
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os-keychain';
  return {
    isStrong: backend !== 'basic_text' && backend !== 'unknown',
    encrypt: (text) => safeStorage.encryptStringAsync(text),
    async decrypt(data) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
      return { text: result, isStale: shouldReEncrypt };
    },
  };
}

export function askWeakStorage(parent: BrowserWindow | null): WeakStorageChoice {
  const options: MessageBoxSyncOptions = {
    type: 'warning',
    title: 'No keyring found',
    message: 'Stemhook found no system keyring to protect your keys.',
    detail:
      'Without a keyring (GNOME Keyring, KWallet), saved keys are only obfuscated, and anyone who can read your files could recover them. ' +
      'Keep them for this session only (you will enter them again next time), or save them anyway?',
    buttons: ['Keep for this session only', 'Save anyway'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const choice = parent ? dialog.showMessageBoxSync(parent, options) : dialog.showMessageBoxSync(options);
  return choice === 1 ? 'persist' : 'session-only';
}
