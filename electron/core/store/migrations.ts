// Forward-only schema migrations; index N moves user_version from N to N+1. Never edit a shipped one.

const TASK_KINDS = `'add-instrumental','add-vocals','separate_vocal','split_stem','wav'`;
const TASK_STATES = `'submitted','text','first','complete','failed'`;
const STEMS = `'take','vocals','instrumental','backing_vocals','drums','bass','guitar','keyboard','percussion','strings','synth','fx','brass','woodwinds'`;

const V1 = `
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  kie_task_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN (${TASK_KINDS})),
  state TEXT NOT NULL CHECK (state IN (${TASK_STATES})),
  title TEXT,
  source_name TEXT,
  source_path TEXT,
  source_sha256 TEXT,
  params TEXT NOT NULL,
  parent_task_id TEXT REFERENCES tasks(id),
  parent_audio_id TEXT,
  callback_url TEXT,
  error_code TEXT,
  error_message TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  next_poll_at INTEGER,
  poll_attempts INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX tasks_by_created ON tasks(created_at DESC);
CREATE INDEX tasks_active_by_poll ON tasks(next_poll_at) WHERE state NOT IN ('complete','failed');

CREATE TABLE task_stages (
  id INTEGER PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  stage TEXT NOT NULL CHECK (stage IN (${TASK_STATES})),
  at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('submit','callback','record-info')),
  UNIQUE (task_id, stage)
) STRICT;

CREATE TABLE callbacks (
  id INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  headers TEXT NOT NULL,
  body BLOB NOT NULL,
  body_truncated INTEGER NOT NULL DEFAULT 0,
  verdict TEXT NOT NULL CHECK (verdict IN ('valid','unsigned','invalid','missing_headers','stale','malformed','unknown_task')),
  kie_task_id TEXT,
  task_id TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  dedupe_key TEXT,
  is_duplicate INTEGER NOT NULL DEFAULT 0,
  effect TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  replay_of INTEGER REFERENCES callbacks(id),
  submission_id TEXT
) STRICT;
-- Secondary indexes end in the rowid, so (task_id) also serves the inspector's ORDER BY id DESC.
CREATE INDEX callbacks_by_task ON callbacks(task_id);
CREATE INDEX callbacks_by_dedupe ON callbacks(dedupe_key);

CREATE TABLE tracks (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  track_key TEXT NOT NULL,
  audio_id TEXT,
  stem TEXT NOT NULL CHECK (stem IN (${STEMS})),
  title TEXT,
  remote_url TEXT,
  url_source TEXT CHECK (url_source IN ('callback','record-info')),
  stream_url TEXT,
  image_url TEXT,
  duration_sec REAL,
  meta TEXT,
  state TEXT NOT NULL CHECK (state IN ('remote','downloading','ready','error')),
  local_path TEXT,
  pcm_path TEXT,
  peaks_path TEXT,
  sample_rate INTEGER,
  channels INTEGER,
  sample_count INTEGER,
  peak_db REAL,
  rms_db REAL,
  is_near_silent INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (task_id, track_key)
) STRICT;

CREATE TABLE downloads (
  id INTEGER PRIMARY KEY,
  track_id TEXT NOT NULL UNIQUE REFERENCES tracks(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued','running','done','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  bytes_total INTEGER,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX downloads_due ON downloads(next_attempt_at) WHERE state = 'queued';

-- A submission between "about to call KIE" and "KIE answered with a task id". If the answer is
-- lost (timeout after KIE accepted it), the first callback carrying this id (?sid= in the
-- callback URL) turns the row into a task, so a billed task is never orphaned.
CREATE TABLE pending_submissions (
  id TEXT PRIMARY KEY,
  task TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

// Issue 9 (trust + inbox quota): a KIE signature pair is accepted once, and old inbox rows are pruned
// by age. Kept on its own so it can move into its own migration module unchanged.
const V2_INBOX_TRUST = `
ALTER TABLE callbacks ADD COLUMN signature_pair TEXT;
CREATE INDEX callbacks_by_signature_pair ON callbacks(signature_pair) WHERE signature_pair IS NOT NULL;
CREATE INDEX callbacks_by_received ON callbacks(received_at);
`;

export const MIGRATIONS: readonly string[] = [V1, V2_INBOX_TRUST];
