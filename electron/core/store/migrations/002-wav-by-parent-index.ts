// Migration 2: an index for export's "finished WAV conversion of this take" lookup
// (tracks.losslessOf), which otherwise scans every track in the library once per exported take.
import type { Migration } from './migration.ts';

export const wavByParentIndex: Migration = {
  version: 2,
  up(db) {
    db.exec(`CREATE INDEX tasks_wav_by_parent ON tasks(parent_task_id, parent_audio_id) WHERE kind = 'wav'`);
  },
};
