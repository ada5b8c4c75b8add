// The settings form as data: the draft the producer edits and the minimal patch it becomes (pure).
import type { SettingsPatch, SettingsView } from '../../../shared/api.ts';
import { checkPublicUrl } from '../../../shared/public-url.ts';
import { DEFAULT_INBOX_RETENTION_DAYS, INBOX_RETENTION_PREF } from '../../../shared/inbox-retention.ts';

export interface SettingsDraft {
  /** undefined = unchanged, null = remove, string = replace. */
  apiKey?: string | null;
  hmacKey?: string | null;
  ngrokAuthtoken?: string | null;
  ngrokDomain: string;
  publicUrl: string;
  preferences: Record<string, string>;
}

/** The export presets the core falls back to (electron/core/export/presets.ts reads the same keys). */
const EXPORT_DEFAULTS: Record<string, string> = {
  'export.format': 'wav24',
  'export.rate': 'source',
  'export.mixdown': 'none',
  'export.sessions': '',
  'export.dir': '',
};

/** Every preference the form shows, with the value the core uses while it is unset. */
const PREFERENCE_DEFAULTS: Record<string, string> = {
  ...EXPORT_DEFAULTS,
  [INBOX_RETENTION_PREF]: String(DEFAULT_INBOX_RETENTION_DAYS),
};

export function draftFrom(settings: SettingsView): SettingsDraft {
  return {
    ngrokDomain: settings.ngrokDomain ?? '',
    publicUrl: settings.publicUrl ?? '',
    preferences: { ...PREFERENCE_DEFAULTS, ...settings.preferences },
  };
}

export function buildPatch(draft: SettingsDraft, settings: SettingsView): SettingsPatch {
  const patch: SettingsPatch = {};
  for (const key of ['apiKey', 'hmacKey', 'ngrokAuthtoken'] as const)
    if (draft[key] !== undefined) patch[key] = draft[key];
  if (draft.ngrokDomain.trim() !== (settings.ngrokDomain ?? ''))
    patch.ngrokDomain = draft.ngrokDomain.trim() || null;
  if (draft.publicUrl.trim() !== (settings.publicUrl ?? '')) patch.publicUrl = draft.publicUrl.trim() || null;
  const saved = { ...PREFERENCE_DEFAULTS, ...settings.preferences };
  const changed = Object.entries(draft.preferences).filter(([key, value]) => saved[key] !== value);
  if (changed.length > 0) patch.preferences = Object.fromEntries(changed);
  return patch;
}

export function validatePublicUrl(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const check = checkPublicUrl(trimmed);
  return check.ok ? null : `Public URL: ${check.reason}.`;
}

/** The welcome's ngrok route needs a token: without one no tunnel opens, and KIE's callbacks get lost. */
export function validateNgrokAuthtoken(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed)
    return 'Paste your ngrok authtoken (dashboard.ngrok.com, "Your Authtoken"), or choose "No public address".';
  if (/\s/.test(trimmed)) return 'An ngrok authtoken has no spaces: copy it again from the ngrok dashboard.';
  return null;
}
