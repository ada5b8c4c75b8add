// The store's written contract: every row type and every method the rest of the core may call.
// Code outside store/ sees only this (through index.ts), never the SQLite connection.
import type {
  MidiSummary,
  StageView,
  StemName,
  TaskKind,
  TaskState,
  TaskView,
  TrackState,
  TrackView,
} from '../../../shared/domain.ts';
import type { AnnouncedTrack } from '../../../shared/kie/tracks.ts';
import type { AlignedWord, SongSection, TakeLyricsSummary } from '../../../shared/lyrics.ts';
import type { Mode, MusicalKey } from '../../../shared/musical-key.ts';
import type { MidiInstrument, MidiNotesView } from '../../../shared/midi.ts';

// ── tasks ────────────────────────────────────────────────────────────────────

export interface TaskRow {
  id: string;
  kie_task_id: string;
  kind: TaskKind;
  state: TaskState;
  title: string | null;
  source_name: string | null;
  source_path: string | null;
  source_sha256: string | null;
  params: string;
  parent_task_id: string | null;
  parent_audio_id: string | null;
  callback_url: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  next_poll_at: number | null;
  poll_attempts: number;
}

export type NewTask = Pick<
  TaskRow,
  | 'id'
  | 'kie_task_id'
  | 'kind'
  | 'title'
  | 'source_name'
  | 'source_path'
  | 'source_sha256'
  | 'params'
  | 'parent_task_id'
  | 'parent_audio_id'
  | 'callback_url'
  | 'created_at'
  | 'next_poll_at'
>;

export interface TaskQuery {
  search?: string;
  state?: TaskState;
  kind?: TaskKind;
  limit?: number;
  offset?: number;
}

export interface TaskStore {
  /** Records the task and its 'submitted' stage together. */
  insert(task: NewTask): void;
  get(idOrKieId: string): TaskRow | undefined;
  getByKieId(kieTaskId: string): TaskRow | undefined;
  view(idOrKieId: string): TaskView | undefined;
  /**
   * Ids of tasks whose id starts with this short form (what `stemhook tasks` prints), at most
   * `limit`; empty for anything shorter than SHORT_ID_MIN or not shaped like an id.
   */
  idsStartingWith(prefix: string, limit: number): string[];
  /** The library: newest first, filtered by state, kind or a search over title, source and ids. */
  list(query?: TaskQuery): TaskView[];
  setState(id: string, state: TaskState, at: number, error: { code: string; message: string } | null): void;
  /**
   * A failure only a callback claimed is undone so record-info can decide afresh (a forged failure
   * must not hide a success). Returns the reopened row, or undefined when the task did not fail
   * that way. Runs inside the caller's transaction.
   */
  reopenCallbackFailure(id: string, at: number): TaskRow | undefined;
  /** Tasks that ended `failed` from a callback alone: each is re-checked once by record-info. */
  failedByCallback(): TaskRow[];
  /** Idempotent: a stage is recorded once, at its first sighting. */
  addStage(id: string, stage: TaskState, at: number, source: StageView['source']): void;
  touch(id: string, at: number): void;
  schedulePoll(id: string, at: number | null, attempts: number): void;
  duePolls(now: number, limit?: number): TaskRow[];
  activeTasks(): TaskRow[];
  nextPollAt(): number | null;
}

// ── tracks ───────────────────────────────────────────────────────────────────

export interface TrackRow {
  id: string;
  task_id: string;
  track_key: string;
  audio_id: string | null;
  stem: StemName;
  title: string | null;
  remote_url: string | null;
  url_source: 'callback' | 'record-info' | null;
  stream_url: string | null;
  image_url: string | null;
  duration_sec: number | null;
  meta: string | null;
  state: TrackState;
  local_path: string | null;
  pcm_path: string | null;
  peaks_path: string | null;
  sample_rate: number | null;
  channels: number | null;
  sample_count: number | null;
  peak_db: number | null;
  rms_db: number | null;
  is_near_silent: number;
  error: string | null;
  analysis_state: 'done' | 'failed' | null;
  analysis_error: string | null;
  tempo_bpm: number | null;
  tempo_confidence: number | null;
  first_beat_sec: number | null;
  key_tonic: number | null;
  key_mode: Mode | null;
  key_confidence: number | null;
  tempo_bpm_corrected: number | null;
  key_tonic_corrected: number | null;
  key_mode_corrected: Mode | null;
}

/** What the analysis found in a track's PCM cache; either part is null when it found nothing. */
export interface DetectedAnalysis {
  tempo: { bpm: number; confidence: number; firstBeatSec: number } | null;
  key: (MusicalKey & { confidence: number }) | null;
}

/** A producer's correction: undefined leaves that part alone, null removes the correction. */
export interface AnalysisCorrection {
  bpm?: number | null;
  key?: MusicalKey | null;
}

export interface MergeResult {
  trackId: string;
  isNew: boolean;
  /** The URL became known (set once, from a trusted source); the caller queues the download. */
  acceptedUrl: string | null;
  /** A trusted source announced a different URL than the one already confirmed. */
  conflictingUrl: string | null;
}

export interface IngestedAudio {
  localPath: string;
  pcmPath: string;
  peaksPath: string;
  sampleRate: number;
  channels: number;
  sampleCount: number;
  durationSec: number;
  peakDb: number;
  rmsDb: number;
  isNearSilent: boolean;
}

export interface TrackStore {
  /** Must run inside the caller's transaction. Untrusted sources never set a URL. */
  merge(
    taskId: string,
    track: AnnouncedTrack,
    isTrusted: boolean,
    source: 'callback' | 'record-info',
    at: number,
  ): MergeResult;
  /** Record-info settled the task: tracks only a callback ever announced are phantoms; drop them. */
  dropUnconfirmed(taskId: string, confirmedKeys: string[]): number;
  get(id: string): TrackRow | undefined;
  /** The task's tracks in stem order (take first). */
  rowsOf(taskId: string): TrackRow[];
  viewsOf(taskId: string): TrackView[];
  /** The newest decoded track of a finished WAV conversion of this take, if any. */
  losslessOf(parentTaskId: string, parentAudioId: string): TrackRow | undefined;
  setState(id: string, state: TrackState, error: string | null, at: number): void;
  /** Also forgets an earlier analysis: new audio is analysed again. */
  setIngested(id: string, audio: IngestedAudio, at: number): void;
  /** Ingested tracks not analysed yet, oldest first. */
  awaitingAnalysis(limit: number): TrackRow[];
  setAnalysis(id: string, result: DetectedAnalysis, at: number): void;
  setAnalysisFailed(id: string, error: string, at: number): void;
  setCorrection(id: string, correction: AnalysisCorrection, at: number): void;
}

// ── callbacks ────────────────────────────────────────────────────────────────

export type CallbackVerdict =
  'valid' | 'unsigned' | 'invalid' | 'missing_headers' | 'stale' | 'malformed' | 'unknown_task';

export interface CallbackRow {
  id: number;
  received_at: number;
  headers: string;
  body: Buffer;
  body_truncated: number;
  verdict: CallbackVerdict;
  kie_task_id: string | null;
  task_id: string | null;
  dedupe_key: string | null;
  is_duplicate: number;
  effect: string;
  http_status: number;
  replay_of: number | null;
  /** The `sid` of the callback URL: which submission KIE was answering. */
  submission_id: string | null;
  /** `timestamp.signature` of a valid KIE signature: KIE signs no body, so a pair vouches for one body. */
  signature_pair: string | null;
}

export type NewCallback = Omit<CallbackRow, 'id'>;

export interface CallbackQuery {
  taskId?: string;
  verdict?: CallbackVerdict;
  limit?: number;
  beforeId?: number;
}

export interface CallbackStore {
  insert(row: NewCallback): number;
  /** True when an accepted (valid or unsigned) callback with this key is already stored. */
  isSeen(dedupeKey: string): boolean;
  get(id: number): CallbackRow | undefined;
  /** Newest first, paged by id. */
  list(query?: CallbackQuery): CallbackRow[];
  /** The dedupe key of the body first accepted under this signature pair, or undefined if unused. */
  bodyAcceptedFor(signaturePair: string): string | null | undefined;
  /** Deletes inbox rows received before `before` (ms); returns how many went. */
  pruneBefore(before: number): number;
}

// ── downloads ────────────────────────────────────────────────────────────────

export type DownloadState = 'queued' | 'running' | 'done' | 'failed';

export interface DownloadRow {
  id: number;
  track_id: string;
  url: string;
  state: DownloadState;
  attempts: number;
  next_attempt_at: number;
  bytes_total: number | null;
  bytes_done: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface DownloadStore {
  /** Idempotent: a track is downloaded at most once. Returns true when a row was created. */
  enqueue(trackId: string, url: string, at: number): boolean;
  due(now: number, limit: number): DownloadRow[];
  claim(id: number, at: number): boolean;
  /** On start: rows a crash left running go back to the queue. */
  requeueInterrupted(at: number): number;
  finish(id: number, at: number): void;
  retryLater(id: number, error: string, nextAt: number, at: number): void;
  fail(id: number, error: string, at: number): void;
  progress(id: number, done: number, total: number | null): void;
  restart(trackId: string, at: number): void;
  get(id: number): DownloadRow | undefined;
  forTrack(trackId: string): DownloadRow | undefined;
  active(): DownloadRow[];
  nextDueAt(): number | null;
}

// ── pending submissions ──────────────────────────────────────────────────────

export type PendingTask = Omit<NewTask, 'kie_task_id'>;

export interface PendingStore {
  put(task: PendingTask): void;
  remove(id: string): void;
  /** KIE calls back within minutes; a day-old submission that never did was never created. */
  forgetOlderThan(at: number): number;
  /** Inside the caller's transaction: records the task under the KIE id the callback revealed. */
  adopt(id: string, kieTaskId: string): boolean;
}

// ── take lyrics ──────────────────────────────────────────────────────────────

export interface TakeLyricsRow {
  track_id: string;
  task_id: string;
  /** `none`: KIE answered without words (an instrumental, a refusal): a quiet, final state. */
  state: 'found' | 'none';
  /** JSON AlignedWord[] */
  words: string;
  /** JSON SongSection[] */
  sections: string;
  reason: string | null;
  fetched_at: number;
}

export interface SavedLyrics {
  trackId: string;
  taskId: string;
  /** Empty means "no lyrics for this take". */
  words: AlignedWord[];
  sections: SongSection[];
  /** Why there are none (KIE's refusal), for the log and the inspector; null otherwise. */
  reason: string | null;
}

export interface TakeNeedingLyrics {
  trackId: string;
  taskId: string;
  kieTaskId: string;
  audioId: string;
}

export interface LyricsStore {
  get(trackId: string): TakeLyricsRow | undefined;
  /** Replaces the take's answer and its search entry in one transaction. */
  save(lyrics: SavedLyrics, at: number): void;
  /** Takes of completed music tasks KIE has not answered for yet, oldest task first. */
  missing(limit?: number): TakeNeedingLyrics[];
  /** `pending` until KIE answered; what a take's TrackView carries. */
  summaryOf(trackId: string): TakeLyricsSummary;
  wordsOf(trackId: string): AlignedWord[] | null;
}

// ── MIDI transcriptions ───────────────────────────────────────────────────────

export interface MidiStore {
  /**
   * Inside the caller's transaction; the first record-info answer wins (a callback's notes are only
   * a claim, never stored). Returns true when written.
   */
  save(taskId: string, instruments: MidiInstrument[], source: 'record-info', at: number): boolean;
  /** A MIDI task's instruments and notes, each placed on a stem lane of the separation. */
  notesOf(taskId: string): MidiNotesView | undefined;
  /** Instruments and note counts only (for TaskView), null until KIE answered. */
  summaryOf(taskId: string): MidiSummary | null;
  /** Every finished transcription of this separation, newest first. */
  ofSeparation(parentTaskId: string): MidiNotesView[];
}

// ── settings ─────────────────────────────────────────────────────────────────

export interface SettingsStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  all(): Record<string, string>;
}

// ── the store ────────────────────────────────────────────────────────────────

export interface Store {
  tracks: TrackStore;
  tasks: TaskStore;
  pending: PendingStore;
  callbacks: CallbackStore;
  downloads: DownloadStore;
  midi: MidiStore;
  settings: SettingsStore;
  lyrics: LyricsStore;
  /**
   * Runs fn in one transaction and returns its result: committed when fn returns, rolled back when
   * it throws. Nested calls become savepoints of the outer transaction.
   */
  transaction<T>(fn: () => T): T;
  /**
   * Like transaction, but takes the write lock at BEGIN (BEGIN IMMEDIATE): for read-then-write
   * work, so a concurrent writer makes it wait (busy_timeout) instead of failing mid-way.
   */
  transactionImmediate<T>(fn: () => T): T;
  /**
   * Runs fn with busy_timeout 0, so a write the lock refuses fails at once instead of freezing the
   * event loop for the busy timeout (the storage watch's recovery probe).
   */
  withoutBusyWait<T>(fn: () => T): T;
  /** False once closed: timers and late callbacks check this instead of touching a closed store. */
  isOpen(): boolean;
  /** Checkpoints the WAL and closes the connection; idempotent. */
  close(): void;
}
