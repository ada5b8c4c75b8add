// Which lanes a task opens with: its A/B reference (the take it was split from, or its source
// file) and every take or stem, in KIE's stem order (pure).
import { STEM_LABELS } from '../../../shared/api.ts';
import type { StemName, TaskView, TrackDownload, TrackState, TrackView } from '../../../shared/domain.ts';

export interface LaneSpec {
  id: string;
  name: string;
  stem: StemName | 'source';
  /** `source-track`: a take from the parent task; `source-file`: the uploaded file, decoded on demand. */
  kind: 'track' | 'source-track' | 'source-file';
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
  };
}

export function buildLanes(task: TaskView, parent: TaskView | null): LaneSpec[] {
  const lanes: LaneSpec[] = [];
  const parentTake = parent?.tracks.find((t) => t.audioId !== null && t.audioId === task.parentAudioId);
  if (parent && parentTake) {
    const takeIndex = parent.tracks.filter((t) => t.stem === 'take').indexOf(parentTake);
    lanes.push(trackLane(parentTake, parent.id, `Take ${takeIndex + 1}`, true));
  } else if (task.sourceName) {
    lanes.push({
      id: `source:${task.id}`,
      name: task.sourceName,
      stem: 'source',
      kind: 'source-file',
      trackId: null,
      taskId: task.id,
      channels: null,
      frames: null,
      sampleRate: null,
      durationSec: null,
      isNearSilent: false,
      state: 'ready',
      isSource: true,
      streamUrl: null,
      download: null,
    });
  }
  let take = 0;
  for (const track of task.tracks) {
    const name = track.stem === 'take' ? `Take ${++take}` : STEM_LABELS[track.stem];
    lanes.push(trackLane(track, task.id, name, false));
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
  return (
    lane.kind === 'source-file' ||
    (lane.state === 'ready' && lane.frames !== null && lane.channels !== null && lane.sampleRate !== null)
  );
}

/** The timeline's length: the longest lane whose length is known. */
export function timelineSeconds(lanes: LaneSpec[], decoded: Record<string, number>): number {
  return Math.max(0, ...lanes.map((lane) => decoded[lane.id] ?? lane.durationSec ?? 0));
}
