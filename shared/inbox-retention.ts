// How long the callback inbox keeps its rows: a producer-visible preference (Settings → Library),
// read by the core's hourly pruner. Tasks, takes and stems are never pruned, only inbox rows.

/** The preference key (stored as text like every preference). */
export const INBOX_RETENTION_PREF = 'inbox.retentionDays';
export const DEFAULT_INBOX_RETENTION_DAYS = 30;
const MIN_DAYS = 1;
const MAX_DAYS = 3650;

/** Why a typed value is not a retention, or null when it is one. */
export function retentionDaysError(value: string): string | null {
  const days = Number(value.trim());
  return Number.isInteger(days) && days >= MIN_DAYS && days <= MAX_DAYS
    ? null
    : `Keep inbox rows for a whole number of days from ${MIN_DAYS} to ${MAX_DAYS}.`;
}

/** The retention in days from the saved preference; the default when unset or unreadable. */
export function inboxRetentionDays(saved: string | null | undefined): number {
  return saved != null && retentionDaysError(saved) === null
    ? Number(saved.trim())
    : DEFAULT_INBOX_RETENTION_DAYS;
}
