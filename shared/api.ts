// The one contract between the core and its clients (Electron preload, browser mode, CLI).
// Methods are `domain.verb`; events only say what changed and clients re-read (one read path).
import type { StemName, TaskKind, TaskState, TaskView, TrackView } from './domain.ts';
import type { LyricsView } from './lyrics.ts';
import type { MidiNotesView } from './midi.ts';
import type { MusicalKey } from './musical-key.ts';
import type { Result } from './result.ts';

export type SubmitSource = { path: string } | { fileId: string };

export interface MusicOptions {
  title: string;
  negativeTags: string;
  model?: string;
  vocalGender?: 'm' | 'f';
  styleWeight?: number;
  weirdnessConstraint?: number;
  audioWeight?: number;
}

export type SubmitInput =
  | ({ kind: 'add-instrumental'; source: SubmitSource; tags: string } & MusicOptions)
  | ({ kind: 'add-vocals'; source: SubmitSource; prompt: string; style: string } & MusicOptions)
  | { kind: 'separate_vocal' | 'split_stem'; from: { taskId: string; audioId: string } }
  | { kind: 'separate_vocal' | 'split_stem'; source: SubmitSource }
  /** KIE's lossless WAV of a generated take (kie-api.md §7.1), used as its export source. */
  | { kind: 'wav'; from: { taskId: string; audioId: string } }
  /** MIDI of a finished separation (kie-api.md §7.2): one stem, or every stem when `stem` is left out. */
  | { kind: 'midi'; from: { taskId: string; stem?: StemName } };

export interface TaskListQuery {
  search?: string;
  state?: TaskState;
  kind?: TaskKind;
  limit?: number;
  offset?: number;
}

export interface CallbackView {
  id: number;
  receivedAt: number;
  headers: Record<string, string>;
  body: string;
  isTruncated: boolean;
  verdict: string;
  kieTaskId: string | null;
  taskId: string | null;
  isDuplicate: boolean;
  effect: unknown;
  httpStatus: number;
  replayOf: number | null;
}

export interface PeaksView {
  trackId: string;
  sampleRate: number;
  channels: number;
  sampleCount: number;
  samplesPerPeak: number;
  /** One array per channel, values in -1..1, as wavesurfer.js `peaks` expects. */
  peaks: number[][];
}

/** Whether the library can be written; a fault clears by itself once a probe write succeeds. */
export interface StorageStatus {
  state: 'ok' | 'disk_full' | 'busy' | 'failing';
  /** One plain sentence for the producer: what happened, what to do. */
  message: string | null;
  since: number | null;
}

export interface HostStatus {
  mode: 'demo' | 'live';
  receiverUrl: string;
  publicUrl: string | null;
  tunnel: { state: 'off' | 'connecting' | 'online' | 'offline'; reason: string | null };
  pollingOnly: boolean;
  downloads: { active: number; queued: number };
  storage: StorageStatus;
}

export interface SettingsView {
  mode: 'demo' | 'live';
  libraryDir: string;
  /** Secrets are write-only: the UI only learns whether each one is set. */
  secrets: { apiKey: boolean; hmacKey: boolean; ngrokAuthtoken: boolean };
  /** False where no keychain is available and secrets would be stored in a plain 0600 file. */
  isSecretStorageEncrypted: boolean;
  /** Saved secrets exist but cannot be read right now (locked keychain, damaged file): what to do. */
  secretStorageProblem: string | null;
  ngrokDomain: string | null;
  publicUrl: string | null;
  preferences: Record<string, string>;
}

export interface SettingsPatch {
  apiKey?: string | null;
  hmacKey?: string | null;
  ngrokAuthtoken?: string | null;
  ngrokDomain?: string | null;
  publicUrl?: string | null;
  /** Non-secret UI and export preferences (e.g. `export.format`), stored as text. */
  preferences?: Record<string, string>;
}

export type ExportFormat = 'wav24' | 'wav16' | 'wav32f';
export type ExportRate = 'source' | 44100 | 48000;
export type SessionFormat = 'dawproject' | 'rpp';

/** One lane's studio mix setting; lanes left out play at 0 dB, unmuted. */
export interface MixLaneSetting {
  trackId: string;
  gainDb?: number;
  isMuted?: boolean;
  isSoloed?: boolean;
}

/** Omitted options fall back to the remembered `export.*` preferences, then to the defaults. */
export interface ExportOptions {
  taskId: string;
  /** Absolute folder; default: the remembered export folder plus the task title. */
  outDir?: string;
  /** Lanes to export; default: every downloaded track of the task. */
  trackIds?: string[];
  format?: ExportFormat;
  rate?: ExportRate;
  sessions?: SessionFormat[];
  /** 'mix': the lanes as set in `mix` (solo/mute/gain); 'unity': every lane at 0 dB. */
  mixdown?: 'none' | 'mix' | 'unity';
  mix?: MixLaneSetting[];
  /** 'auto' uses KIE's lossless WAV of a take once it is downloaded; 'mp3' never does. */
  source?: 'auto' | 'mp3';
  /** 'ask' (default) fails with code `exists` instead of replacing files; 'suffix' numbers the set. */
  onConflict?: 'ask' | 'suffix' | 'overwrite';
  tempoBpm?: number;
  /** `<Title>.lrc` beside the stems: default when the take has lyrics; true requires them; false never. */
  lrc?: boolean;
  /**
   * `.mid` files beside the WAVs for stems KIE transcribed. Default: written when MIDI exists;
   * true: required (the export refuses without it); false: never.
   */
  midi?: boolean;
  /** Echoed in `export.progress` events so a client can follow its own export. */
  exportId?: string;
  /** A split only: add `<Title> - Residual.wav` (source − all stems), aligned like the stems. */
  includeResidual?: boolean;
}

export interface ExportFileView {
  kind: 'stem' | 'mixdown' | 'residual' | 'session' | 'lyrics' | 'provenance' | 'midi';
  name: string;
  path: string;
  trackId: string | null;
  stem: StemName | null;
  label: string | null;
  /** Frames per channel, equal for every WAV of one export. */
  sampleCount: number | null;
  sampleRate: number | null;
  channels: number | null;
  bitDepth: number | null;
  /** What the PCM came from: the MP3 take/stem or KIE's WAV conversion. */
  decodedFrom: 'mp3' | 'wav' | null;
  /** Plans only: a file of this name is already in the folder. */
  exists: boolean;
}

interface MixdownView {
  peakDbfs: number;
  gainDb: number;
  outputPeakDbfs: number;
  isClipped: boolean;
  warning: string | null;
}

export interface ExportPlanView {
  exportId: string;
  taskId: string;
  /** The folder to reveal afterwards. */
  folder: string;
  format: ExportFormat;
  sampleRate: number;
  sampleCount: number;
  files: ExportFileView[];
  /** Paths that exist already (with onConflict 'ask', export.run refuses until the user decides). */
  conflicts: string[];
  warnings: string[];
}

export interface ExportResultView extends ExportPlanView {
  mixdown: MixdownView | null;
  elapsedMs: number;
}

/** A track Stemhook derived itself (an uploaded source decoded, a residual): plays like any track. */
export interface DerivedTrackView {
  trackId: string;
  sampleRate: number;
  channels: number;
  sampleCount: number;
  durationSec: number;
}

/** "Residual (source − all stems)" of a split: what the separation left out. */
export interface ResidualView extends DerivedTrackView {
  taskId: string;
  /** Stems lag the source by this much (negative: they lead); the residual sits on the stems' timeline. */
  offsetFrames: number;
  offsetMs: number;
  /** Residual energy relative to the source, in dB ("−31 dB"). */
  levelDb: number;
  /** Per stem: correlation of the residual with it (the leak meter; near 0 when nothing leaked). */
  leaks: { trackId: string; stem: StemName; correlation: number }[];
  computeMs: number;
}

export interface DragFileView {
  trackId: string;
  path: string;
  name: string;
  sampleCount: number;
}

interface Api {
  'tasks.submit': (input: SubmitInput) => TaskView;
  'tasks.list': (query: TaskListQuery) => TaskView[];
  'tasks.get': (input: { id: string }) => TaskView;
  'tasks.refresh': (input: { id?: string }) => { polled: number };
  'tasks.retry': (input: { id: string }) => TaskView;
  'tracks.peaks': (input: { trackId: string; pixels?: number }) => PeaksView;
  /** A generated take's stored lyrics (lines of timed words, sections); `pending` until KIE answered. */
  'lyrics.get': (input: { trackId: string }) => LyricsView;
  /** Asks KIE for the take's lyrics again now (the automatic fetch asks once per take). */
  'lyrics.fetch': (input: { trackId: string }) => LyricsView;
  /**
   * The producer's tempo/key for a track, which wins over the detected one everywhere (views,
   * sessions, provenance). Omit a part to leave it alone; null removes that correction.
   */
  'tracks.setAnalysis': (input: {
    trackId: string;
    bpm?: number | null;
    key?: MusicalKey | null;
  }) => TrackView;
  /** An uploaded source decoded once into the PCM cache and peaks (the A/B lane of a split of a file). */
  'tasks.source': (input: { id: string }) => DerivedTrackView;
  /** A split's residual, computed once from the PCM caches in a worker. */
  'tasks.residual': (input: { id: string }) => ResidualView;
  /** The notes of one finished MIDI task, each instrument placed on its stem lane. */
  'midi.notes': (input: { taskId: string }) => MidiNotesView;
  'callbacks.list': (input: { taskId?: string; limit?: number }) => CallbackView[];
  'callbacks.replay': (input: { id: number }) => CallbackView;
  'credits.get': (input: Record<string, never>) => { credits: number };
  'host.status': (input: Record<string, never>) => HostStatus;
  'settings.get': (input: Record<string, never>) => SettingsView;
  'settings.update': (input: SettingsPatch) => { settings: SettingsView; isRestartRequired: boolean };
  'export.plan': (input: ExportOptions) => ExportPlanView;
  'export.run': (input: ExportOptions) => ExportResultView;
  /** Aligned 24-bit WAVs of these tracks from the drag cache (rendered now if missing) for startDrag. */
  'export.prepareDrag': (input: { trackIds: string[] }) => { files: DragFileView[] };
}

export type ApiMethod = keyof Api;
export type ApiInput<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiOutput<M extends ApiMethod> = ReturnType<Api[M]>;

/** Every handler is async and returns the Result envelope; a missing handler does not compile. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> };
export type ApiClient = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<Result<ApiOutput<M>>> };

const METHOD_TABLE: { [M in ApiMethod]: true } = {
  'tasks.submit': true,
  'tasks.list': true,
  'tasks.get': true,
  'tasks.refresh': true,
  'tasks.retry': true,
  'tracks.peaks': true,
  'lyrics.get': true,
  'lyrics.fetch': true,
  'tracks.setAnalysis': true,
  'tasks.source': true,
  'tasks.residual': true,
  'midi.notes': true,
  'callbacks.list': true,
  'callbacks.replay': true,
  'credits.get': true,
  'host.status': true,
  'settings.get': true,
  'settings.update': true,
  'export.plan': true,
  'export.run': true,
  'export.prepareDrag': true,
};
export const API_METHODS = Object.keys(METHOD_TABLE) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(METHOD_TABLE, name);
}

export interface Events {
  'tasks.changed': { ids: string[] };
  'callbacks.changed': { ids: number[] };
  'downloads.changed': { trackIds: string[] };
  'host.changed': Record<string, never>;
  'settings.changed': Record<string, never>;
  /** Long exports report as they go; `done`/`total` are frames written over all files. */
  'export.progress': {
    exportId: string;
    taskId: string;
    phase: 'stems' | 'mixdown' | 'sessions' | 'done' | 'failed';
    done: number;
    total: number;
    file: string | null;
    message: string | null;
  };
}
export type EventName = keyof Events;

export const STEM_LABELS: Record<StemName, string> = {
  take: 'Take',
  vocals: 'Vocals',
  instrumental: 'Instrumental',
  backing_vocals: 'Backing Vocals',
  drums: 'Drums',
  bass: 'Bass',
  guitar: 'Guitar',
  keyboard: 'Keyboard',
  percussion: 'Percussion',
  strings: 'Strings',
  synth: 'Synth',
  fx: 'FX',
  brass: 'Brass',
  woodwinds: 'Woodwinds',
};

/** The residual lane's name, in the studio and in exported sessions and provenance. */
export const RESIDUAL_LABEL = 'Residual (source − all stems)';
