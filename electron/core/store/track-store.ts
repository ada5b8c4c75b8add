// Tracks (generated takes and separated stems) of each task: merging announcements from
// callbacks and record-info, and the download/ingest results that make a track playable.
import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';
import {
  STEM_NAMES,
  type KeyView,
  type TempoView,
  type TrackState,
  type TrackView,
} from '../../../shared/domain.ts';
import { keyName } from '../../../shared/musical-key.ts';
import type { AnnouncedTrack } from '../../../shared/kie/tracks.ts';
import type { DetectedAnalysis, IngestedAudio, MergeResult, TrackRow, TrackStore } from './interface.ts';

const STEM_ORDER = new Map<string, number>(STEM_NAMES.map((s, i) => [s, i]));

export function toTrackView(row: TrackRow): TrackView {
  return {
    id: row.id,
    audioId: row.audio_id,
    stem: row.stem,
    title: row.title,
    state: row.state,
    localPath: row.local_path,
    durationSec: row.sample_count && row.sample_rate ? row.sample_count / row.sample_rate : row.duration_sec,
    sampleRate: row.sample_rate,
    channels: row.channels,
    sampleCount: row.sample_count,
    isNearSilent: row.is_near_silent === 1,
    remoteUrl: row.remote_url,
    streamUrl: row.stream_url,
    error: row.error,
    analysis: row.state !== 'ready' ? null : (row.analysis_state ?? 'pending'),
    tempo: tempoView(row),
    key: keyView(row),
  };
}

function tempoView(row: TrackRow): TempoView | null {
  const bpm = row.tempo_bpm_corrected ?? row.tempo_bpm;
  if (bpm === null) return null;
  return {
    bpm,
    detectedBpm: row.tempo_bpm,
    confidence: row.tempo_confidence,
    firstBeatSec: row.first_beat_sec,
    isCorrected: row.tempo_bpm_corrected !== null,
  };
}

function keyView(row: TrackRow): KeyView | null {
  const detected =
    row.key_tonic !== null && row.key_mode !== null ? { tonic: row.key_tonic, mode: row.key_mode } : null;
  const corrected =
    row.key_tonic_corrected !== null && row.key_mode_corrected !== null
      ? { tonic: row.key_tonic_corrected, mode: row.key_mode_corrected }
      : null;
  const key = corrected ?? detected;
  if (!key) return null;
  return {
    ...key,
    name: keyName(key),
    detected,
    confidence: row.key_confidence,
    isCorrected: corrected !== null,
  };
}

export function createTrackStore(db: Db): TrackStore {
  const byKey = db.prepare<[string, string], TrackRow>(
    `SELECT * FROM tracks WHERE task_id = ? AND track_key = ?`,
  );
  const byId = db.prepare<[string], TrackRow>(`SELECT * FROM tracks WHERE id = ?`);
  const ofTask = db.prepare<[string], TrackRow>(
    `SELECT * FROM tracks WHERE task_id = ? ORDER BY created_at, track_key`,
  );
  const insert =
    db.prepare(`INSERT INTO tracks (id, task_id, track_key, audio_id, stem, title, remote_url, url_source,
      stream_url, image_url, duration_sec, meta, state, created_at, updated_at)
    VALUES (@id, @task_id, @track_key, @audio_id, @stem, @title, @remote_url, @url_source,
      @stream_url, @image_url, @duration_sec, @meta, 'remote', @at, @at)`);
  const fill = db.prepare(`UPDATE tracks SET
      audio_id = COALESCE(audio_id, @audio_id), title = COALESCE(title, @title),
      stream_url = COALESCE(stream_url, @stream_url), image_url = COALESCE(image_url, @image_url),
      duration_sec = COALESCE(duration_sec, @duration_sec), meta = COALESCE(meta, @meta),
      remote_url = COALESCE(remote_url, @remote_url), url_source = COALESCE(url_source, @url_source),
      updated_at = @at
    WHERE id = @id`);
  // The join goes through tasks_wav_by_parent: one probe per exported take.
  const losslessOf = db.prepare<
    [string, string],
    TrackRow
  >(`SELECT tr.* FROM tracks tr JOIN tasks t ON tr.task_id = t.id
    WHERE t.kind = 'wav' AND t.parent_task_id = ? AND t.parent_audio_id = ? AND tr.state = 'ready'
    ORDER BY t.created_at DESC LIMIT 1`);
  const deleteUnconfirmed = db.prepare(`DELETE FROM tracks WHERE task_id = ?
      AND (url_source IS NULL OR url_source = 'callback')
      AND track_key NOT IN (SELECT value FROM json_each(?))`);
  const setState = db.prepare(`UPDATE tracks SET state = ?, error = ?, updated_at = ? WHERE id = ?`);
  const setIngested = db.prepare(`UPDATE tracks SET state = 'ready', error = NULL, local_path = @localPath,
      pcm_path = @pcmPath, peaks_path = @peaksPath, sample_rate = @sampleRate, channels = @channels,
      sample_count = @sampleCount, duration_sec = @durationSec, peak_db = @peakDb, rms_db = @rmsDb,
      is_near_silent = @isNearSilent, analysis_state = NULL, analysis_error = NULL, tempo_bpm = NULL,
      tempo_confidence = NULL, first_beat_sec = NULL, key_tonic = NULL, key_mode = NULL,
      key_confidence = NULL, updated_at = @at WHERE id = @id`);
  const awaitingAnalysis = db.prepare<[number], TrackRow>(
    `SELECT * FROM tracks WHERE state = 'ready' AND analysis_state IS NULL ORDER BY updated_at LIMIT ?`,
  );
  const setAnalysis = db.prepare(`UPDATE tracks SET analysis_state = 'done', analysis_error = NULL,
      tempo_bpm = @bpm, tempo_confidence = @tempoConfidence, first_beat_sec = @firstBeatSec,
      key_tonic = @tonic, key_mode = @mode, key_confidence = @keyConfidence, updated_at = @at
    WHERE id = @id AND state = 'ready'`);
  const setAnalysisFailed = db.prepare(`UPDATE tracks SET analysis_state = 'failed', analysis_error = ?,
      updated_at = ? WHERE id = ? AND state = 'ready'`);
  const correctTempo = db.prepare(`UPDATE tracks SET tempo_bpm_corrected = ?, updated_at = ? WHERE id = ?`);
  const correctKey = db.prepare(
    `UPDATE tracks SET key_tonic_corrected = ?, key_mode_corrected = ?, updated_at = ? WHERE id = ?`,
  );

  return {
    /** Must run inside the caller's transaction. Untrusted sources never set a URL. */
    merge(
      taskId: string,
      track: AnnouncedTrack,
      isTrusted: boolean,
      source: 'callback' | 'record-info',
      at: number,
    ): MergeResult {
      const meta =
        track.tags || track.prompt || track.modelName
          ? JSON.stringify({ tags: track.tags, prompt: track.prompt, modelName: track.modelName })
          : null;
      const url = isTrusted ? track.url : null;
      const fields = {
        audio_id: track.audioId,
        title: track.title,
        stream_url: isTrusted ? track.streamUrl : null,
        image_url: isTrusted ? track.imageUrl : null,
        duration_sec: track.durationSec,
        meta,
        remote_url: url,
        url_source: url ? source : null,
        at,
      };
      const existing = byKey.get(taskId, track.key);
      if (!existing) {
        const id = randomUUID();
        insert.run({ id, task_id: taskId, track_key: track.key, stem: track.stem, ...fields });
        return { trackId: id, isNew: true, acceptedUrl: url, conflictingUrl: null };
      }
      fill.run({ id: existing.id, ...fields });
      const acceptedUrl = !existing.remote_url && url ? url : null;
      const conflictingUrl = existing.remote_url && url && url !== existing.remote_url ? url : null;
      return { trackId: existing.id, isNew: false, acceptedUrl, conflictingUrl };
    },
    /** Record-info settled the task: tracks only a callback ever announced are phantoms; drop them. */
    dropUnconfirmed(taskId: string, confirmedKeys: string[]): number {
      return deleteUnconfirmed.run(taskId, JSON.stringify(confirmedKeys)).changes;
    },
    get(id: string): TrackRow | undefined {
      return byId.get(id);
    },
    rowsOf(taskId: string): TrackRow[] {
      return ofTask.all(taskId).sort((a, b) => (STEM_ORDER.get(a.stem) ?? 0) - (STEM_ORDER.get(b.stem) ?? 0));
    },
    viewsOf(taskId: string): TrackView[] {
      return this.rowsOf(taskId).map(toTrackView);
    },
    losslessOf(parentTaskId: string, parentAudioId: string): TrackRow | undefined {
      return losslessOf.get(parentTaskId, parentAudioId);
    },
    setState(id: string, state: TrackState, error: string | null, at: number): void {
      setState.run(state, error, at, id);
    },
    setIngested(id: string, audio: IngestedAudio, at: number): void {
      setIngested.run({ id, at, ...audio, isNearSilent: audio.isNearSilent ? 1 : 0 });
    },
    awaitingAnalysis(limit: number): TrackRow[] {
      return awaitingAnalysis.all(limit);
    },
    setAnalysis(id: string, result: DetectedAnalysis, at: number): void {
      setAnalysis.run({
        id,
        at,
        bpm: result.tempo?.bpm ?? null,
        tempoConfidence: result.tempo?.confidence ?? null,
        firstBeatSec: result.tempo?.firstBeatSec ?? null,
        tonic: result.key?.tonic ?? null,
        mode: result.key?.mode ?? null,
        keyConfidence: result.key?.confidence ?? null,
      });
    },
    setAnalysisFailed(id: string, error: string, at: number): void {
      setAnalysisFailed.run(error, at, id);
    },
    setCorrection(id, correction, at): void {
      db.transaction(() => {
        if (correction.bpm !== undefined) correctTempo.run(correction.bpm, at, id);
        if (correction.key !== undefined)
          correctKey.run(correction.key?.tonic ?? null, correction.key?.mode ?? null, at, id);
      })();
    },
  };
}
