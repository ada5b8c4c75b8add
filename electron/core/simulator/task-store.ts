// In-memory records of every simulated task (music, separation, WAV) and lookups across them.
import type { AudioPart, StemInfo } from './stems.ts';
import type { MusicStatus, OperationKind, SimulatedTaskSummary } from './types.ts';

interface TaskBase {
  id: string;
  kind: OperationKind;
  createdAt: number;
  completedAt: number | null;
  callBackUrl: string;
  errorCode: number | null;
  errorMessage: string | null;
  cost: number;
  durationSec: number;
}

export interface MusicTrack {
  id: string;
  seed: number;
  createdAt: number;
}

export interface MusicTask extends TaskBase {
  family: 'music';
  status: MusicStatus;
  param: string;
  title: string;
  tags: string;
  prompt: string;
  modelName: string;
  operationType: string;
  uploadUrl: string;
  tracks: MusicTrack[];
  visibleTracks: number;
}

export interface StemFile {
  part: AudioPart;
  info: Pick<StemInfo, 'snake' | 'camel' | 'group' | 'label'>;
  id: string;
  path: string;
}

export type ResultFlag =
  | 'PENDING'
  | 'SUCCESS'
  | 'CREATE_TASK_FAILED'
  | 'GENERATE_AUDIO_FAILED'
  | 'GENERATE_WAV_FAILED'
  | 'CALLBACK_EXCEPTION';

export interface SeparationTask extends TaskBase {
  family: 'separation';
  type: 'separate_vocal' | 'split_stem';
  successFlag: ResultFlag;
  musicId: string;
  musicIndex: number;
  /** Form B input (kie-api.md §5.2); null for Form A. */
  audioUrl: string | null;
  sourceSeed: number;
  stems: StemFile[];
  hasResult: boolean;
}

export interface WavTask extends TaskBase {
  family: 'wav';
  successFlag: ResultFlag;
  musicId: string;
  musicIndex: number;
  sourceSeed: number;
  wavPath: string;
  hasResult: boolean;
}

export interface SimMidiTask extends TaskBase {
  family: 'midi';
  /** 0 pending, 1 success, 2 create failed, 3 generation failed (an integer, unlike the others). */
  successFlag: 0 | 1 | 2 | 3;
  separationId: string;
  /** The stem asked for (originData id), or null for every stem. */
  audioId: string | null;
  midiData: { state: string; instruments?: unknown[] } | null;
}

export type SimTask = MusicTask | SeparationTask | WavTask | SimMidiTask;

export interface TaskStore {
  add(task: SimTask): void;
  get(id: string): SimTask | null;
  all(): SimTask[];
  /** A generated track that is already visible (its task has reported it). */
  findTrack(taskId: string, audioId: string): { task: MusicTask; index: number; track: MusicTrack } | null;
}

export function createTaskStore(): TaskStore {
  const tasks = new Map<string, SimTask>();
  const visibleTrack = (task: SimTask | undefined, audioId: string) => {
    if (task?.family !== 'music') return null;
    const index = task.tracks.findIndex((t) => t.id === audioId);
    const track = task.tracks[index];
    return track && index < task.visibleTracks ? { task, index, track } : null;
  };
  return {
    add: (task) => void tasks.set(task.id, task),
    get: (id) => tasks.get(id) ?? null,
    all: () => [...tasks.values()],
    findTrack: (taskId, audioId) => visibleTrack(tasks.get(taskId), audioId),
  };
}

export function summarize(task: SimTask): SimulatedTaskSummary {
  return {
    taskId: task.id,
    kind: task.kind,
    status: task.family === 'music' ? task.status : String(task.successFlag),
    callBackUrl: task.callBackUrl,
    createdAt: task.createdAt,
    completedAt: task.completedAt,
    audioIds:
      task.family === 'music'
        ? task.tracks.map((t) => t.id)
        : task.family === 'midi'
          ? task.audioId
            ? [task.audioId]
            : []
          : [task.musicId],
    errorCode: task.errorCode,
    errorMessage: task.errorMessage,
    sourceSeed: task.family === 'separation' ? task.sourceSeed : null,
  };
}
