// Which lanes a task opens with: its A/B reference (the take it was split from, or its source
// file, decoded once by the core), every take or stem in KIE's stem order, and for a split its
// residual (source − all stems) (pure).
import {
  RESIDUAL_LABEL,
  STEM_LABELS,
  type DerivedTrackView,
  type ResidualView,
} from '../../../shared/api.ts';
import type { StemName, TaskView, TrackDownload, TrackState, TrackView } from '../../../shared/domain.ts';

export interface LaneSpec {
  id: string;
  name: string;
  stem: StemName | 'source' | 'residual';
  /**
   * `source-track`: a take from the parent task; `source-file`: the uploaded file, decoded once by the
   * core; `residual`: what the split left out, computed by the core.
   */
  kind: 'track' | 'source-track' | 'source-file' | 'residual';
  trackId: string | null;
  taskId: string;
  channels: number | null;
  frames: number | null;
  sampleRate: number | null;
  durationSec: number | null;
  isNearSilent: boolean;
  state: TrackState;
  isSource: boolean;
  /** Playable before the download finishes (KIE's stream), in its lane, following the transport. */
  streamUrl: string | null;
  download: TrackDownload | null;
  /** Why a derived lane has no audio yet (decoding, computing, or the core's sentence why not). */
  note: string | null;
  residual: ResidualView | null;
}

/** A lane the core derives on request: its answer once there, or its error sentence. */
export interface Derived<T> {
  data: T | undefined;
  error: string | null;
}

export interface DerivedLanes {
  source: Derived<DerivedTrackView>;
  residual: Derived<ResidualView>;
}

const NOT_ASKED: Derived<never> = { data: undefined, error: null };
export const NO_DERIVED: DerivedLanes = { source: NOT_ASKED, residual: NOT_ASKED };

export function isSplit(task: TaskView): boolean {
  return task.kind === 'split_stem' || task.kind === 'separate_vocal';
}

/** A split whose stems are all downloaded: the core can compute its residual. */
export function hasResidual(task: TaskView): boolean {
  return (
    isSplit(task) &&
    task.state === 'complete' &&
    task.tracks.length > 0 &&
    task.tracks.every((track) => track.state === 'ready')
  );
}

function derivedLane(
  base: Pick<LaneSpec, 'id' | 'name' | 'stem' | 'kind' | 'taskId' | 'isSource'>,
  derived: Derived<DerivedTrackView>,
  pending: string,
): LaneSpec {
  const view = derived.data;
  return {
    ...base,
    trackId: view?.trackId ?? null,
    channels: view?.channels ?? null,
    frames: view?.sampleCount ?? null,
    sampleRate: view?.sampleRate ?? null,
    durationSec: view?.durationSec ?? null,
    isNearSilent: false,
    state: view ? 'ready' : derived.error ? 'error' : 'downloading',
    streamUrl: null,
    download: null,
    note: view ? null : (derived.error ?? pending),
    residual: null,
  };
}

function trackLane(track: TrackView, taskId: string, name: string, isSource: boolean): LaneSpec {
  return {
    id: track.id,
    name,
    stem: isSource ? 'source' : track.stem,
    kind: isSource ? 'source-track' : 'track',
    trackId: track.id,
    taskId,
    channels: track.channels,
    frames: track.sampleCount,
    sampleRate: track.sampleRate,
    durationSec: track.durationSec,
    isNearSilent: track.isNearSilent,
    state: track.state,
    isSource,
    streamUrl: track.streamUrl,
    download: track.download ?? null,
    note: null,
    residual: null,
  };
}

export function buildLanes(task: TaskView, parent: TaskView | null, derived = NO_DERIVED): LaneSpec[] {
  const lanes: LaneSpec[] = [];
  const parentTake = parent?.tracks.find((t) => t.audioId !== null && t.audioId === task.parentAudioId);
  if (parent && parentTake) {
    const takeIndex = parent.tracks.filter((t) => t.stem === 'take').indexOf(parentTake);
    lanes.push(trackLane(parentTake, parent.id, `Take ${takeIndex + 1}`, true));
  } else if (task.sourceName) {
    const base = { id: `source:${task.id}`, name: task.sourceName, taskId: task.id, isSource: true };
    lanes.push(
      derivedLane({ ...base, stem: 'source', kind: 'source-file' }, derived.source, 'Decoding source…'),
    );
  }
  let take = 0;
  for (const track of task.tracks) {
    const name = track.stem === 'take' ? `Take ${++take}` : STEM_LABELS[track.stem];
    lanes.push(trackLane(track, task.id, name, false));
  }
  if (hasResidual(task)) {
    const base = { id: `residual:${task.id}`, name: RESIDUAL_LABEL, taskId: task.id };
    const lane = derivedLane(
      { ...base, stem: 'residual', kind: 'residual', isSource: false },
      derived.residual,
      'Computing residual…',
    );
    lanes.push({ ...lane, residual: derived.residual.data ?? null });
  }
  return lanes;
}

/**
 * KIE's stream URL while the file is not downloaded yet (a `first` stage often has nothing else).
 * https, or the demo simulator on loopback: the CSP admits that origin in demo mode only.
 */
export function streamPreviewUrl(lane: LaneSpec): string | null {
  const isWaiting = lane.state === 'remote' || lane.state === 'downloading';
  const url = lane.streamUrl ?? '';
  const isAllowed = url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost):\d+\//.test(url);
  return isWaiting && isAllowed ? url : null;
}

/** What a lane without audio yet is waiting for, in the producer's words. */
export function laneStatusText(lane: LaneSpec): string | null {
  const { download } = lane;
  if (lane.note) return lane.note;
  if (lane.state === 'error') return 'Download failed';
  if (download?.phase === 'queued') return `Queued for download (${download.place} of ${download.waiting})`;
  if (download?.phase === 'decoding') return 'Decoding';
  if (download?.phase === 'downloading') {
    const { bytesDone, bytesTotal } = download;
    if (bytesTotal) return `Downloading ${Math.floor((bytesDone / bytesTotal) * 100)} %`;
    return bytesDone > 0 ? `Downloading ${(bytesDone / 1e6).toFixed(1)} MB` : 'Downloading…';
  }
  if (lane.state === 'downloading') return 'Downloading…';
  if (lane.state === 'remote')
    return lane.streamUrl ? 'Waiting for the download to start' : 'Waiting for KIE…';
  return null;
}

/** A lane whose PCM can be streamed: downloaded and measured. */
export function isPlayable(lane: LaneSpec): boolean {
  return lane.state === 'ready' && lane.frames !== null && lane.channels !== null && lane.sampleRate !== null;
}

/** The timeline's length: the longest lane whose length is known. */
export function timelineSeconds(lanes: LaneSpec[]): number {
  return Math.max(0, ...lanes.map((lane) => lane.durationSec ?? 0));
}
