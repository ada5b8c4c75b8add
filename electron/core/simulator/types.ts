// Public types of the in-repo KIE.AI simulator (options, control surface, summaries and fault injections).

import type { SongFacts } from './synth-plan.ts';

export type OperationKind =
  'add-instrumental' | 'add-vocals' | 'separate_vocal' | 'split_stem' | 'wav' | 'midi';

/**
 * MIDI variants of kie-api.md §7.2: where the callback puts the task id (`task_id` at the top, as
 * the English page, or `taskId` inside `data`, as the Chinese page), how note times are written,
 * and whether KIE found notes (`empty`: an empty instrument list, `missing`: no list at all).
 */
export interface MidiVariants {
  callbackShape: 'top-level' | 'in-data';
  timeFormat: 'number' | 'string' | 'mixed';
  result: 'notes' | 'empty' | 'missing';
}

export interface SimulatorOptions {
  apiKey: string;
  hmacKey: string | null;
  creditErrorFamily: 'kie' | 'sunoapi';
  separationCallbackKey: 'vocal_separation_info' | 'vocal_removal_info' | 'response';
  midi: MidiVariants;
  createTimeFormat: 'string' | 'epoch';
  trackCount: 1 | 2;
  stageDelayMs: number;
  audioDurationSec: number;
  credits: number;
  costs: Record<OperationKind, number>;
  allowAudioUrlSeparation: boolean;
  uploadRetentionMs: number;
  resultRetentionMs: number;
  duplicateCallbacks: number;
  shuffleCallbacks: boolean;
  dropCallbacks: boolean;
  skipIntermediateStages: boolean;
  callbackDelayMs: number;
  callbackRetryDelayMs: number;
  /** Stands in for the ngrok tunnel: callbacks addressed under `publicUrl` are delivered to the same path under `localUrl`. */
  callbackTunnel: { publicUrl: string; localUrl: string } | null;
  /** Breaks every result audio file the API listener serves (what the app downloads); null serves them intact. */
  fileFault: FileFault | null;
  /** Throttles result audio bodies to this many bytes per second (0 = full speed), so a download can be interrupted. */
  fileBytesPerSecond: number;
  /** get-timestamped-lyrics: words timed to the vocal (default), an empty answer (instrumental) or a 422 refusal. */
  lyrics: 'words' | 'empty' | 'refuse';
  seed: number;
  /** Default 127.0.0.1. */
  host: string;
  apiPort: number;
  uploadPort: number;
}

/**
 * `not_found` answers 404; `stall` sends the headers and a first slice, then nothing; `truncate` closes the
 * connection halfway through the declared length; `not_audio` sends an HTML page with 200; `oversize`
 * declares a 4 GB Content-Length and sends nothing.
 */
export type FileFault = 'not_found' | 'stall' | 'truncate' | 'not_audio' | 'oversize';

export type MusicStatus =
  | 'PENDING'
  | 'TEXT_SUCCESS'
  | 'FIRST_SUCCESS'
  | 'SUCCESS'
  | 'CREATE_TASK_FAILED'
  | 'GENERATE_AUDIO_FAILED'
  | 'CALLBACK_EXCEPTION'
  | 'SENSITIVE_WORD_ERROR';

export interface SimulatedTaskFailure {
  /** Where the task breaks; default `text` (the first processing stage). Separation and WAV tasks have one stage. */
  stage?: 'create' | 'text' | 'first' | 'complete';
  code: number;
  msg: string;
  /** Music failure callback shape (kie-api.md §4.1): `data.error` string or `data.data: null` (default). */
  shape?: 'error-field' | 'null-data';
  status?: 'GENERATE_AUDIO_FAILED' | 'SENSITIVE_WORD_ERROR' | 'CREATE_TASK_FAILED' | 'CALLBACK_EXCEPTION';
}

export interface SimulatedRequestFailure {
  httpStatus?: number;
  /** Raw body sent instead of a JSON envelope (e.g. an HTML proxy page). */
  body?: string;
  code?: number;
  msg?: string;
  /** Wait this long before answering; with no other field the request is then handled normally. */
  delayMs?: number;
  /**
   * Handle the request normally (a create call creates its task) but hold the answer this long: a
   * client that times out meanwhile loses the answer to a call KIE accepted.
   */
  answerDelayMs?: number;
}

export interface SimulatedTaskSummary {
  taskId: string;
  kind: OperationKind;
  /** Music `status` or separation/WAV `successFlag`. */
  status: string;
  callBackUrl: string;
  createdAt: number;
  completedAt: number | null;
  /** Generated track ids (music) or the source track id (separation, WAV). */
  audioIds: string[];
  errorCode: number | null;
  errorMessage: string | null;
  /** Separations: the seed their stems are rendered from (tests score the notes the stems play). */
  sourceSeed: number | null;
}

export interface CallbackLogEntry {
  taskId: string;
  url: string;
  body: unknown;
  /** HTTP status of the attempt; null when the request failed, timed out or was not sent (non-loopback URL). */
  status: number | null;
  attempt: number;
  at: number;
}

export interface SimulatorControl {
  setOptions(patch: Partial<SimulatorOptions>): void;
  options(): SimulatorOptions;
  failNextTask(f: SimulatedTaskFailure): void;
  failNextRequest(f: SimulatedRequestFailure): void;
  setCredits(n: number): void;
  credits(): number;
  tasks(): SimulatedTaskSummary[];
  /** Tempo and key the simulator synthesised a generated track with (null for an unknown id). */
  songOf(audioId: string): SongFacts | null;
  callbackLog(): CallbackLogEntry[];
  expireAllFiles(): void;
  /** Files received by the upload host: tests prove a refused file was never sent. */
  uploadCount(): number;
  /** Resolves when every running task has finished and every scheduled callback has been attempted. */
  idle(): Promise<void>;
}

export interface KieSimulator {
  apiUrl: string;
  uploadUrl: string;
  control: SimulatorControl;
  close(): Promise<void>;
}
