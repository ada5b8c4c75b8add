// Deletes callback inbox rows older than the producer's retention (Settings → Library, 30 days by
// default) on start and then hourly. A store error is logged and tried again next hour, never fatal.
import { INBOX_RETENTION_PREF, inboxRetentionDays } from '../../../shared/inbox-retention.ts';
import type { Store } from '../store/index.ts';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

export interface InboxPrunerOptions {
  store: Store;
  log: (line: string) => void;
  now?: () => number;
}

/** Prunes once now; returns how many rows went. */
export function pruneInbox(store: Store, now: number): number {
  // Preferences are stored as `pref.<key>` (settings-handlers.ts).
  const days = inboxRetentionDays(store.settings.get(`pref.${INBOX_RETENTION_PREF}`));
  return store.callbacks.pruneBefore(now - days * DAY_MS);
}

export function startInboxPruner(options: InboxPrunerOptions): () => void {
  const now = options.now ?? Date.now;
  const run = (): void => {
    if (!options.store.isOpen()) return;
    try {
      const pruned = pruneInbox(options.store, now());
      if (pruned > 0) options.log(`inbox: pruned ${pruned} callback rows past their retention`);
    } catch (error) {
      options.log(`inbox: pruning failed, will try again in an hour: ${(error as Error).message}`);
    }
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
