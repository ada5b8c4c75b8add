// Turns the three record-info shapes (music, separation, WAV) into the same events callbacks
// produce, so the reconciler feeds one state machine. Record-info is the source of truth.
import { separationTracks } from './callbacks.ts';
import { STATUS_FAILURES, describeTaskFailure } from './failure-messages.ts';
import { stemForGroupName } from './stems.ts';
import { isRecord, num, str, takeFromItem, type AnnouncedTrack, type KieEvent } from './tracks.ts';

const MUSIC_STAGE: Record<string, 'text' | 'first' | 'complete'> = {
  TEXT_SUCCESS: 'text',
  FIRST_SUCCESS: 'first',
  SUCCESS: 'complete',
};

function failure(status: string, data: Record<string, unknown>): KieEvent {
  const code = num(data.errorCode);
  const message = str(data.errorMessage) ?? STATUS_FAILURES[status] ?? `KIE reported status ${status}.`;
  return { kind: 'failure', code, message: describeTaskFailure(code === 200 ? null : code, message) };
}

/** CALLBACK_EXCEPTION only means KIE failed to call us; with results present the task succeeded. */
function settle(status: string, tracks: AnnouncedTrack[], data: Record<string, unknown>): KieEvent {
  const hasAudio = tracks.some((t) => t.url);
  if (status === 'SUCCESS' || (status === 'CALLBACK_EXCEPTION' && hasAudio)) {
    return hasAudio ? { kind: 'progress', stage: 'complete', tracks } : { kind: 'pending' };
  }
  // Only documented failure statuses end a task: an unknown status (KIE adds some over time) keeps
  // it pending, because a failure from record-info is final.
  if (status in STATUS_FAILURES) return failure(status, data);
  return { kind: 'pending' };
}

export function musicEventFromRecordInfo(data: unknown): KieEvent {
  if (!isRecord(data)) return { kind: 'pending' };
  const status = str(data.status) ?? 'PENDING';
  const response = isRecord(data.response) ? data.response : {};
  const items = Array.isArray(response.sunoData) ? response.sunoData : [];
  const tracks = items
    .filter(isRecord)
    .map(takeFromItem)
    .filter((t): t is AnnouncedTrack => t !== null);
  const stage = MUSIC_STAGE[status];
  if (stage && stage !== 'complete') return { kind: 'progress', stage, tracks };
  return settle(status, tracks, data);
}

export function separationEventFromRecordInfo(data: unknown): KieEvent {
  if (!isRecord(data)) return { kind: 'pending' };
  const status = str(data.successFlag) ?? 'PENDING';
  const response = isRecord(data.response) ? data.response : {};
  const tracks = separationTracks(response);
  const origin = Array.isArray(response.originData) ? response.originData.filter(isRecord) : [];
  for (const item of origin) {
    const stem = stemForGroupName(str(item.stem_type_group_name) ?? '');
    const track = tracks.find((t) => t.stem === stem);
    if (!track) continue;
    track.audioId = str(item.id);
    track.durationSec = num(item.duration);
  }
  return settle(status, tracks, data);
}

export function wavEventFromRecordInfo(data: unknown): KieEvent {
  if (!isRecord(data)) return { kind: 'pending' };
  const status = str(data.successFlag) ?? 'PENDING';
  const response = isRecord(data.response) ? data.response : {};
  const url = str(response.audioWavUrl) ?? str(response.audio_wav_url);
  const tracks: AnnouncedTrack[] = url
    ? [
        {
          key: 'wav',
          audioId: str(data.musicId),
          stem: 'take',
          title: null,
          url,
          streamUrl: null,
          imageUrl: null,
          durationSec: null,
          tags: null,
          prompt: null,
          modelName: null,
        },
      ]
    : [];
  return settle(status, tracks, data);
}
