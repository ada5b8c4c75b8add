// Migration 3 (trust and inbox quota): a KIE (timestamp, signature) pair is accepted once, so it is
// stored and indexed; old inbox rows are pruned by age, so the receive time is indexed too.
import type { Migration } from './migration.ts';

export const inboxTrust: Migration = {
  version: 3,
  up(db) {
    db.exec(`
      ALTER TABLE callbacks ADD COLUMN signature_pair TEXT;
      CREATE INDEX callbacks_by_signature_pair ON callbacks(signature_pair) WHERE signature_pair IS NOT NULL;
      CREATE INDEX callbacks_by_received ON callbacks(received_at);
    `);
  },
};
