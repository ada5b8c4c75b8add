// Domain vocabulary shared by the core, the renderer and the CLI: task kinds, states, stems, views.
import type { TakeLyricsSummary } from './lyrics.ts';
import type { MusicalKey } from './musical-key.ts';

export const TASK_KINDS = [
  'add-instrumental',
  'add-vocals',
  'separate_vocal',
  'split_stem',
  'wav',
  'midi',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Forward-only lifecycle; `complete` and `failed` are terminal. */
export const TASK_STATES = ['submitted', 'text', 'first', 'complete', 'failed'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export type TrackState = 'remote' | 'downloading' | 'ready' | 'error';

/** `take` is a generated song; the rest are separation stems, in KIE's split_stem order. */
export const STEM_NAMES = [
  'take',
  'vocals',
  'instrumental',
  'backing_vocals',
  'drums',
  'bass',
  'guitar',
  'keyboard',
  'percussion',
  'strings',
  'synth',
  'fx',
  'brass',
  'woodwinds',
] as const;
export type StemName = (typeof STEM_NAMES)[number];

/** KIE's split_stem result: every stem but the generated take and the two-stem instrumental. */
export const SPLIT_STEMS: readonly StemName[] = STEM_NAMES.filter(
  (s) => s !== 'take' && s !== 'instrumental',
);
export const SEPARATE_VOCAL_STEMS: readonly StemName[] = ['vocals', 'instrumental'];

type StageName = Exclude<TaskState, 'submitted'> | 'submitted';

export interface StageView {
  name: StageName;
  at: number;
  source: 'submit' | 'callback' | 'record-info';
}

export interface TaskError {
  code: string;
  message: string;
}

/** Detected at ingest from the PCM cache; a producer's correction replaces bpm (isCorrected). */
export interface TempoView {
  bpm: number;
  /** What the analysis found, kept beside a correction; null when only the correction is known. */
  detectedBpm: number | null;
  /** 0..1 confidence of the detection (null when only the correction is known). */
  confidence: number | null;
  /** Seconds to the first beat of the detected grid. */
  firstBeatSec: number | null;
  isCorrected: boolean;
}

export interface KeyView extends MusicalKey {
  /** "A minor". */
  name: string;
  detected: MusicalKey | null;
  confidence: number | null;
  isCorrected: boolean;
}

export interface TrackView {
  id: string;
  audioId: string | null;
  stem: StemName;
  title: string | null;
  state: TrackState;
  localPath: string | null;
  durationSec: number | null;
  sampleRate: number | null;
  channels: number | null;
  sampleCount: number | null;
  isNearSilent: boolean;
  remoteUrl: string | null;
  /** KIE's streaming preview, often the only audio at the `first` stage (trusted sources only). */
  streamUrl: string | null;
  error: string | null;
  /** Where its download stands while it is not ready yet (set by the host's task reads). */
  download?: TrackDownload | null;
  /** Generated takes only: whether KIE has lyrics for it (`state`), and the song's sections. */
  lyrics?: TakeLyricsSummary;
  /** Tempo/key analysis of the decoded audio: null until ingested. */
  analysis: 'pending' | 'done' | 'failed' | null;
  tempo: TempoView | null;
  key: KeyView | null;
}

/** A track's place in the download pipeline, so the UI can say "Queued (3 of 12)" or "Downloading 45 %". */
export interface TrackDownload {
  /** `decoding`: every byte is in and the audio is being prepared for playback. */
  phase: 'queued' | 'downloading' | 'decoding';
  /** 1-based place among the downloads waiting to start, and how many wait (queued only). */
  place: number | null;
  waiting: number | null;
  bytesDone: number;
  bytesTotal: number | null;
}

export interface TaskView {
  id: string;
  kieTaskId: string;
  kind: TaskKind;
  state: TaskState;
  title: string | null;
  sourceName: string | null;
  parentTaskId: string | null;
  parentAudioId: string | null;
  createdAt: number;
  updatedAt: number;
  stages: StageView[];
  error: TaskError | null;
  tracks: TrackView[];
  /** MIDI tasks only: what KIE transcribed (null until it answered). */
  midi: MidiSummary | null;
}

/** One transcribed instrument, without its notes (`midi.notes` reads those). */
export interface MidiInstrumentSummary {
  name: string;
  /** The stem lane this instrument belongs to, when it could be told. */
  stem: StemName | null;
  noteCount: number;
}

/** A finished MIDI transcription; no instruments means KIE found no notes (not a failure). */
export interface MidiSummary {
  instruments: MidiInstrumentSummary[];
}

export function isTerminal(state: TaskState): boolean {
  return state === 'complete' || state === 'failed';
}
