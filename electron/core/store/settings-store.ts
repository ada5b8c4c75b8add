// Non-secret settings as key/value text. Secrets (API key, HMAC key, ngrok token) never go here:
// the desktop shell keeps them in the OS keychain and the headless host reads them from the env.
import type { Db } from './database.ts';
import type { SettingsStore } from './interface.ts';

export function createSettingsStore(db: Db): SettingsStore {
  const get = db.prepare<[string], { value: string }>(`SELECT value FROM settings WHERE key = ?`);
  const set = db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const all = db.prepare<[], { key: string; value: string }>(`SELECT key, value FROM settings`);
  return {
    get(key: string): string | null {
      return get.get(key)?.value ?? null;
    },
    set(key: string, value: string): void {
      set.run(key, value);
    },
    all(): Record<string, string> {
      return Object.fromEntries(all.all().map((r) => [r.key, r.value]));
    },
  };
}
