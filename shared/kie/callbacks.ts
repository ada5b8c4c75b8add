// Parses every documented callback variant (music stages, both failure shapes, separation in its
// three key shapes, WAV) into one normalised event. Pure: no I/O, no trust decisions.
import { stemForUrlKey } from './stems.ts';
import { describeTaskFailure } from './failure-messages.ts';
import { isMidiCallbackData, midiEventFromCallback } from './midi.ts';
import {
  isRecord,
  stemTrack,
  str,
  takeFromItem,
  type AnnouncedTrack,
  type KieEvent,
  type PayloadFamily,
} from './tracks.ts';

export interface ParsedCallback {
  kieTaskId: string;
  family: PayloadFamily;
  event: KieEvent;
}

type CallbackParse = { ok: true; value: ParsedCallback } | { ok: false; reason: string };

/** Where the task id sits varies by endpoint and by doc copy (§9.3 of kie-api.md). */
export function callbackTaskId(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const data = isRecord(body.data) ? body.data : {};
  return str(data.task_id) ?? str(data.taskId) ?? str(body.task_id) ?? str(body.taskId);
}

export function parseCallback(body: unknown): CallbackParse {
  if (!isRecord(body)) return { ok: false, reason: 'body is not a JSON object' };
  const code = typeof body.code === 'number' ? body.code : null;
  if (code === null) return { ok: false, reason: 'missing numeric "code"' };
  // MIDI's top-level task_id shape may fail with `data: null`: that still ends the task.
  const isBareFailure = code !== 200 && body.data === null && str(body.task_id) !== null;
  if (!isRecord(body.data) && !isBareFailure) return { ok: false, reason: 'missing "data" object' };
  const kieTaskId = callbackTaskId(body);
  if (!kieTaskId) return { ok: false, reason: 'missing task id' };
  const data = isRecord(body.data) ? body.data : {};
  const msg = str(body.msg);
  if (isBareFailure || isMidiCallbackData(data)) {
    return { ok: true, value: { kieTaskId, family: 'midi', event: midiEventFromCallback(code, msg, data) } };
  }
  // A failure may carry nothing but the task id; it still ends the task, whatever its family.
  const family = detectFamily(data) ?? (code !== 200 ? 'music' : null);
  if (!family) return { ok: false, reason: 'unrecognised callback shape' };

  const callbackType = str(data.callbackType);
  if (code !== 200 || callbackType === 'error' || callbackType === 'failed') {
    const detail = str(data.error) ?? msg;
    return {
      ok: true,
      value: {
        kieTaskId,
        family,
        event: { kind: 'failure', code, message: describeTaskFailure(code === 200 ? null : code, detail) },
      },
    };
  }
  if (family === 'music') return parseMusic(kieTaskId, callbackType, data);
  if (family === 'wav') {
    const url = str(data.audioWavUrl) ?? str(data.audio_wav_url);
    if (!url) return { ok: false, reason: 'WAV callback without audioWavUrl' };
    const wav = { ...stemTrack('take', url, null, null), key: 'wav' };
    return {
      ok: true,
      value: { kieTaskId, family, event: { kind: 'progress', stage: 'complete', tracks: [wav] } },
    };
  }
  const tracks = separationTracks(separationInfo(data) ?? {});
  if (tracks.length === 0) return { ok: false, reason: 'separation callback without stem URLs' };
  return { ok: true, value: { kieTaskId, family, event: { kind: 'progress', stage: 'complete', tracks } } };
}

function detectFamily(data: Record<string, unknown>): PayloadFamily | null {
  if ('callbackType' in data) return 'music';
  if ('audioWavUrl' in data || 'audio_wav_url' in data) return 'wav';
  if (separationInfo(data) !== null || 'vocal_separation_info' in data || 'vocal_removal_info' in data)
    return 'separation';
  return null;
}

/** KIE EN docs: vocal_separation_info; CN docs and sunoapi: vocal_removal_info; observed: response. */
function separationInfo(data: Record<string, unknown>): Record<string, unknown> | null {
  for (const key of ['vocal_separation_info', 'vocal_removal_info', 'response']) {
    const value = data[key];
    if (isRecord(value)) return value;
  }
  return null;
}

export function separationTracks(info: Record<string, unknown>): AnnouncedTrack[] {
  const byStem = new Map<string, AnnouncedTrack>();
  for (const [key, value] of Object.entries(info)) {
    const stem = stemForUrlKey(key);
    const url = str(value);
    if (!stem || !url) continue;
    const isPianoAlias = /^piano/i.test(key);
    if (isPianoAlias && byStem.has(stem)) continue;
    byStem.set(stem, stemTrack(stem, url, null, null));
  }
  return [...byStem.values()];
}

function parseMusic(
  kieTaskId: string,
  callbackType: string | null,
  data: Record<string, unknown>,
): CallbackParse {
  if (callbackType !== 'text' && callbackType !== 'first' && callbackType !== 'complete') {
    return { ok: false, reason: `unknown callbackType ${JSON.stringify(callbackType)}` };
  }
  const items = Array.isArray(data.data) ? data.data : [];
  const tracks = items
    .filter(isRecord)
    .map(takeFromItem)
    .filter((t): t is AnnouncedTrack => t !== null);
  if (callbackType === 'complete' && tracks.length === 0) {
    return { ok: false, reason: 'complete callback without tracks' };
  }
  return {
    ok: true,
    value: { kieTaskId, family: 'music', event: { kind: 'progress', stage: callbackType, tracks } },
  };
}
