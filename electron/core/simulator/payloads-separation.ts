// Separation payloads: record-info (camelCase, §6) and the single callback in its three key shapes (§5.3).
import { absoluteApiUrl, type SimContext } from './context.ts';
import type { SeparationTask } from './task-store.ts';

const RESPONSE_URL_KEYS = [
  'instrumentalUrl',
  'vocalUrl',
  'backingVocalsUrl',
  'drumsUrl',
  'bassUrl',
  'guitarUrl',
  'pianoUrl',
  'keyboardUrl',
  'percussionUrl',
  'stringsUrl',
  'synthUrl',
  'fxUrl',
  'brassUrl',
  'woodwindsUrl',
];

const SUCCESS_MESSAGES: Record<string, string> = {
  vocal_separation_info: 'vocal separation generated successfully.',
  vocal_removal_info: 'vocal Removal generated successfully.',
  response: 'vocal separation generated successfully.',
};

function separationResponse(ctx: SimContext, task: SeparationTask): Record<string, unknown> {
  const response: Record<string, unknown> = { id: null, originUrl: null };
  response.originData = task.stems.map((s) => ({
    duration: task.durationSec,
    audio_url: absoluteApiUrl(ctx, s.path),
    stem_type_group_name: s.info.group,
    id: s.id,
  }));
  for (const key of RESPONSE_URL_KEYS) response[key] = null;
  for (const s of task.stems) response[s.info.camel] = absoluteApiUrl(ctx, s.path);
  return response;
}

export function separationRecordInfo(ctx: SimContext, task: SeparationTask): Record<string, unknown> {
  return {
    taskId: task.id,
    musicId: task.musicId,
    callbackUrl: task.callBackUrl,
    musicIndex: task.musicIndex,
    completeTime: task.completedAt,
    response: task.hasResult ? separationResponse(ctx, task) : null,
    successFlag: task.successFlag,
    createTime: task.createdAt,
    errorCode: task.errorCode,
    errorMessage: task.errorMessage,
  };
}

function snakeInfo(ctx: SimContext, task: SeparationTask): Record<string, string> {
  const info: Record<string, string> = { origin_url: '' };
  for (const s of task.stems) info[s.info.snake] = absoluteApiUrl(ctx, s.path);
  return info;
}

/** Success (code 200) or failure callback, under the key the options select; `response` mirrors record-info. */
export function separationBody(
  ctx: SimContext,
  task: SeparationTask,
  failure: { code: number; msg: string } | null,
): unknown {
  const key = ctx.options().separationCallbackKey;
  const code = failure?.code ?? 200;
  const msg = failure?.msg ?? SUCCESS_MESSAGES[key];
  if (key === 'response')
    return { code, msg, data: { task_id: task.id, ...separationRecordInfo(ctx, task) } };
  return { code, msg, data: { task_id: task.id, [key]: failure ? null : snakeInfo(ctx, task) } };
}
