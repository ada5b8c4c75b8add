// Handlers for vocal-removal generate (Form A: taskId + audioId; Form B: audioUrl behind an option) and its
// record-info (kie-api.md §5-§6).
import { resolveHeldFile, type SimContext } from './context.ts';
import type { Envelope } from './guards.ts';
import { hashSeed } from './ids.ts';
import { separationRecordInfo } from './payloads-separation.ts';
import { recordInfoRoute } from './routes-record-info.ts';
import { createSeparationTask, startSeparationTask, type SeparationSource } from './separation-task.ts';
import { fieldError, validateBody } from './validate.ts';

const TYPES = ['separate_vocal', 'split_stem'] as const;

function uploadedSource(ctx: SimContext, body: Record<string, unknown>): SeparationSource | Envelope {
  if (body.audioId !== undefined && body.audioId !== null)
    return fieldError('audioUrl', 'cannot be combined with audioId');
  if (!ctx.options().allowAudioUrlSeparation) {
    return fieldError('audioUrl', 'is not supported; pass taskId and audioId of a generated track');
  }
  const invalid = validateBody(body, [{ field: 'audioUrl', kind: 'url', required: true }]);
  if (invalid) return invalid;
  const audioUrl = body.audioUrl as string;
  const held = resolveHeldFile(ctx, audioUrl);
  return {
    musicId: '',
    musicIndex: 0,
    audioUrl,
    sourceSeed: held?.audioSeed ?? hashSeed('url', audioUrl),
    durationSec: held?.durationSec ?? ctx.options().audioDurationSec,
  };
}

function generatedSource(ctx: SimContext, body: Record<string, unknown>): SeparationSource | Envelope {
  const invalid = validateBody(body, [
    { field: 'taskId', kind: 'string', required: true },
    { field: 'audioId', kind: 'string', required: true },
  ]);
  if (invalid) return invalid;
  const taskId = body.taskId as string;
  const found = ctx.tasks.findTrack(taskId, body.audioId as string);
  if (!found) {
    return ctx.tasks.get(taskId)?.family === 'music'
      ? fieldError('audioId', 'does not match a generated track of this task')
      : fieldError('taskId', 'does not match a music generation task');
  }
  return {
    musicId: found.track.id,
    musicIndex: found.index,
    audioUrl: null,
    sourceSeed: found.track.seed,
    durationSec: found.task.durationSec,
  };
}

export function createSeparation(ctx: SimContext, body: Record<string, unknown>): Envelope {
  const invalid = validateBody(body, [
    { field: 'callBackUrl', kind: 'url', required: true },
    { field: 'type', kind: 'enum', values: TYPES },
  ]);
  if (invalid) return invalid;
  const type = body.type === 'split_stem' ? 'split_stem' : 'separate_vocal';
  const hasAudioUrl = body.audioUrl !== undefined && body.audioUrl !== null;
  const source = hasAudioUrl ? uploadedSource(ctx, body) : generatedSource(ctx, body);
  if ('code' in source) return source;
  const denied = ctx.guards.charge(type);
  if (denied) return denied;
  const task = createSeparationTask(ctx, type, body.callBackUrl as string, source);
  ctx.tasks.add(task);
  startSeparationTask(ctx, task, ctx.faults.takeTaskFailure());
  return { code: 200, msg: 'success', data: { taskId: task.id } };
}

export function separationRecordInfoRoute(ctx: SimContext, query: URLSearchParams): Envelope {
  return recordInfoRoute(ctx, query, 'separation', (task) => separationRecordInfo(ctx, task));
}
