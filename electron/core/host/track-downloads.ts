// Adds each unfinished track's download state to task views (queued with its place in line,
// downloading with its bytes, or decoding), read from the store's active download rows.
import type { TaskView, TrackDownload } from '../../../shared/domain.ts';
import type { DownloadRow } from '../store/index.ts';

function downloadOf(row: DownloadRow, queued: DownloadRow[]): TrackDownload {
  const isQueued = row.state === 'queued';
  const isComplete = row.bytes_total !== null && row.bytes_total > 0 && row.bytes_done >= row.bytes_total;
  return {
    phase: isQueued ? 'queued' : isComplete ? 'decoding' : 'downloading',
    place: isQueued ? queued.indexOf(row) + 1 : null,
    waiting: isQueued ? queued.length : null,
    bytesDone: row.bytes_done,
    bytesTotal: row.bytes_total,
  };
}

/** `active` is `store.downloads.active()`: queued and running rows in queue order. */
export function withDownloads(tasks: TaskView[], active: DownloadRow[]): TaskView[] {
  if (active.length === 0) return tasks;
  const byTrack = new Map(active.map((row) => [row.track_id, row]));
  const queued = active.filter((row) => row.state === 'queued');
  return tasks.map((task) => {
    if (!task.tracks.some((track) => byTrack.has(track.id))) return task;
    const tracks = task.tracks.map((track) => {
      const row = byTrack.get(track.id);
      return row && track.state !== 'ready' ? { ...track, download: downloadOf(row, queued) } : track;
    });
    return { ...task, tracks };
  });
}
