// Migration 5: tempo and key of each track, detected once after ingest, and the producer's
// corrections kept beside them (a correction never overwrites what was detected).
import type { Migration } from './migration.ts';

export const trackAnalysis: Migration = {
  version: 5,
  up(db) {
    db.exec(`
      ALTER TABLE tracks ADD COLUMN analysis_state TEXT CHECK (analysis_state IN ('done', 'failed'));
      ALTER TABLE tracks ADD COLUMN analysis_error TEXT;
      ALTER TABLE tracks ADD COLUMN tempo_bpm REAL;
      ALTER TABLE tracks ADD COLUMN tempo_confidence REAL;
      ALTER TABLE tracks ADD COLUMN first_beat_sec REAL;
      ALTER TABLE tracks ADD COLUMN key_tonic INTEGER CHECK (key_tonic BETWEEN 0 AND 11);
      ALTER TABLE tracks ADD COLUMN key_mode TEXT CHECK (key_mode IN ('major', 'minor'));
      ALTER TABLE tracks ADD COLUMN key_confidence REAL;
      ALTER TABLE tracks ADD COLUMN tempo_bpm_corrected REAL;
      ALTER TABLE tracks ADD COLUMN key_tonic_corrected INTEGER CHECK (key_tonic_corrected BETWEEN 0 AND 11);
      ALTER TABLE tracks ADD COLUMN key_mode_corrected TEXT CHECK (key_mode_corrected IN ('major', 'minor'));
      CREATE INDEX tracks_awaiting_analysis ON tracks(updated_at) WHERE state = 'ready' AND analysis_state IS NULL;
    `);
  },
};
