// settings.get / settings.update: preferences in the store, secrets in the vault (write-only).
// Keys and URLs are read when the core starts, so changing them asks for a restart.
import type { ApiHandlers, SettingsView } from '../../../shared/api.ts';
import type { Store } from '../store/index.ts';
import { INBOX_RETENTION_PREF, retentionDaysError } from '../../../shared/inbox-retention.ts';
import { BadRequestError } from './api-errors.ts';
import type { EventBus } from './events.ts';
import { checkPublicUrl } from '../../../shared/public-url.ts';
import type { SecretVault } from './secret-vault.ts';

export interface SettingsDeps {
  store: Store;
  vault: SecretVault;
  events: EventBus;
  mode: 'demo' | 'live';
  libraryDir: string;
  /** Values from the environment win over stored ones; the UI shows them as set. */
  fromEnv: { apiKey: boolean; hmacKey: boolean; ngrokAuthtoken: boolean };
}

const PREFIX = 'pref.';

export function createSettingsHandlers(
  deps: SettingsDeps,
): Pick<ApiHandlers, 'settings.get' | 'settings.update'> {
  const { store, vault } = deps;
  const view = (): SettingsView => ({
    mode: deps.mode,
    libraryDir: deps.libraryDir,
    secrets: {
      apiKey: deps.fromEnv.apiKey || vault.get('apiKey') !== null,
      hmacKey: deps.fromEnv.hmacKey || vault.get('hmacKey') !== null,
      ngrokAuthtoken: deps.fromEnv.ngrokAuthtoken || vault.get('ngrokAuthtoken') !== null,
    },
    isSecretStorageEncrypted: vault.isEncrypted,
    secretStorageProblem: vault.problem?.() ?? null,
    ngrokDomain: store.settings.get('ngrokDomain') || null,
    publicUrl: store.settings.get('publicUrl') || null,
    preferences: Object.fromEntries(
      Object.entries(store.settings.all())
        .filter(([key]) => key.startsWith(PREFIX))
        .map(([key, value]) => [key.slice(PREFIX.length), value]),
    ),
  });

  return {
    async 'settings.get'() {
      return view();
    },
    async 'settings.update'(patch) {
      if (patch.publicUrl) {
        const check = checkPublicUrl(patch.publicUrl);
        if (!check.ok) throw new BadRequestError(`Public URL: ${check.reason}`);
        patch = { ...patch, publicUrl: check.url };
      }
      const retention = patch.preferences?.[INBOX_RETENTION_PREF];
      const retentionError = retention === undefined ? null : retentionDaysError(String(retention));
      if (retentionError) throw new BadRequestError(retentionError);
      let isRestartRequired = false;
      for (const name of ['apiKey', 'hmacKey', 'ngrokAuthtoken'] as const) {
        if (patch[name] === undefined) continue;
        vault.set(name, patch[name]?.trim() || null);
        isRestartRequired = true;
      }
      for (const key of ['ngrokDomain', 'publicUrl'] as const) {
        if (patch[key] === undefined) continue;
        store.settings.set(key, patch[key]?.trim() ?? '');
        isRestartRequired = true;
      }
      for (const [key, value] of Object.entries(patch.preferences ?? {}))
        store.settings.set(`${PREFIX}${key}`, String(value));
      deps.events.emit('settings.changed', {});
      return { settings: view(), isRestartRequired };
    },
  };
}
