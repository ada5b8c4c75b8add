// Settings: KIE key and webhook HMAC key, how callbacks reach this computer (ngrok or a manual public
// URL), the library folder and how long the callback inbox is kept, export defaults. Secrets are
// write-only.
import { useEffect, useState } from 'react';
import type { SettingsView as Settings } from '../../../shared/api.ts';
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { notify } from '../state/ui-store.ts';
import { ExportDefaults } from './ExportDefaults.tsx';
import { PublicUrlField } from './PublicUrlField.tsx';
import { SecretField } from './SecretField.tsx';
import { INBOX_RETENTION_PREF, retentionDaysError } from '../../../shared/inbox-retention.ts';
import { buildPatch, draftFrom, validatePublicUrl, type SettingsDraft } from './settings-model.ts';

export function SettingsView() {
  const settings = useQuery<Settings>(queryKeys.settings, () => api.call['settings.get']({}));
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [needsRestart, setNeedsRestart] = useState(false);
  useEffect(() => {
    if (settings.data && !draft) setDraft(draftFrom(settings.data));
  }, [settings.data, draft]);
  if (!settings.data || !draft)
    return <p className="muted pad">{settings.error?.message ?? 'Loading settings…'}</p>;
  const current = settings.data;
  const urlError = validatePublicUrl(draft.publicUrl);
  const retentionError = retentionDaysError(draft.preferences[INBOX_RETENTION_PREF] ?? '');
  const patch = buildPatch(draft, current);
  const isDirty = Object.keys(patch).length > 0;
  const change = (next: Partial<SettingsDraft>) => setDraft({ ...draft, ...next });
  const secretField = (name: keyof Settings['secrets'], label: string, hint: string) => (
    <SecretField
      label={label}
      isSet={current.secrets[name]}
      value={draft[name]}
      hint={hint}
      onChange={(value) => {
        const next: Partial<SettingsDraft> = {};
        next[name] = value;
        change(next);
      }}
    />
  );

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (urlError || retentionError) return;
    const result = await api.call['settings.update'](patch);
    if (!result.ok) return notify('error', result.error.message);
    setDraft(draftFrom(result.value.settings));
    setNeedsRestart(needsRestart || result.value.isRestartRequired);
    notify('success', 'Settings saved.');
  };

  return (
    <form className="settings" onSubmit={save} aria-label="Settings">
      <div className="settings-head">
        <h1>Settings</h1>
        <span className={`pill ${current.mode === 'demo' ? 'pill-demo' : 'pill-live'}`}>
          {current.mode === 'demo' ? 'Demo mode: no API key' : 'Live: using your KIE key'}
        </span>
      </div>
      {needsRestart && (
        <div className="banner banner-info" role="status">
          Saved. Keys and callback addresses are read at start: quit and start Stemhook again to use them.
        </div>
      )}
      <section className="card">
        <h2>KIE account</h2>
        {secretField(
          'apiKey',
          'API key',
          'From kie.ai/api-key. Without it Stemhook runs the demo simulator.',
        )}
        {secretField(
          'hmacKey',
          'Webhook HMAC key',
          "From KIE's settings; callbacks are then verified before they change anything.",
        )}
        {current.secretStorageProblem && (
          <p className="tone-bad small" role="alert" data-testid="secret-storage-problem">
            {current.secretStorageProblem}
          </p>
        )}
        {!current.isSecretStorageEncrypted && (
          <p className="tone-warn small">
            No keychain available: secrets are kept in a private (0600) file in the data folder.
          </p>
        )}
      </section>
      <section className="card">
        <h2>Receiving callbacks</h2>
        <p className="muted small">
          KIE reports progress to a public address. Give it one with ngrok, or your own URL; without either,
          Stemhook polls KIE instead (results arrive 5–30 s later).
        </p>
        {secretField(
          'ngrokAuthtoken',
          'ngrok authtoken',
          'From dashboard.ngrok.com; only the callback receiver is exposed.',
        )}
        <div className="field">
          <label htmlFor="ngrok-domain">ngrok reserved domain (optional)</label>
          <input
            id="ngrok-domain"
            value={draft.ngrokDomain}
            placeholder="e.g. my-studio.ngrok.app"
            onChange={(e) => change({ ngrokDomain: e.currentTarget.value })}
          />
        </div>
        <PublicUrlField
          id="public-url"
          label="Or a manual public URL"
          value={draft.publicUrl}
          error={urlError}
          onChange={(publicUrl) => change({ publicUrl })}
        />
      </section>
      <section className="card">
        <h2>Library</h2>
        <div className="field">
          <span className="field-label">Library folder</span>
          <code className="path">{current.libraryDir}</code>
          <div className="field-hint">
            Every download, stem and cache lives here. Set STEMHOOK_DATA_DIR before starting to use another
            folder.
          </div>
        </div>
        <div className="field">
          <label htmlFor="inbox-retention">Keep callback inbox rows for (days)</label>
          <input
            id="inbox-retention"
            inputMode="numeric"
            value={draft.preferences[INBOX_RETENTION_PREF] ?? ''}
            aria-invalid={Boolean(retentionError)}
            onChange={(e) =>
              change({ preferences: { ...draft.preferences, [INBOX_RETENTION_PREF]: e.currentTarget.value } })
            }
          />
          {retentionError && <div className="field-error">{retentionError}</div>}
          <div className="field-hint">
            Older rows of the callback inbox are deleted once an hour. Tasks, takes and stems are never
            deleted.
          </div>
        </div>
      </section>
      <ExportDefaults preferences={draft.preferences} onChange={(preferences) => change({ preferences })} />
      <div className="settings-actions">
        <button
          type="button"
          className="button"
          disabled={!isDirty}
          onClick={() => setDraft(draftFrom(current))}
        >
          Discard changes
        </button>
        <button
          type="submit"
          className="button primary"
          disabled={!isDirty || Boolean(urlError) || Boolean(retentionError)}
        >
          Save
        </button>
      </div>
    </form>
  );
}
