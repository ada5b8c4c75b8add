// Handlers for WAV conversion: generate (409 when the track already has a WAV record) and record-info.
import type { SimContext } from './context.ts';
import type { Envelope } from './guards.ts';
import { recordInfoRoute } from './routes-record-info.ts';
import { fieldError, validateBody } from './validate.ts';
import { createWavTask, startWavTask, wavRecordInfo } from './wav-task.ts';

export function createWav(ctx: SimContext, body: Record<string, unknown>): Envelope {
  const invalid = validateBody(body, [
    { field: 'taskId', kind: 'string', required: true },
    { field: 'audioId', kind: 'string', required: true },
    { field: 'callBackUrl', kind: 'url', required: true },
  ]);
  if (invalid) return invalid;
  const taskId = body.taskId as string;
  const audioId = body.audioId as string;
  const found = ctx.tasks.findTrack(taskId, audioId);
  if (!found) {
    return ctx.tasks.get(taskId)?.family === 'music'
      ? fieldError('audioId', 'does not match a generated track of this task')
      : fieldError('taskId', 'does not match a music generation task');
  }
  const existing = ctx.tasks
    .all()
    .some((t) => t.family === 'wav' && t.musicId === audioId && !t.successFlag.endsWith('FAILED'));
  if (existing) return { code: 409, msg: 'WAV record already exists', data: null };
  const denied = ctx.guards.charge('wav');
  if (denied) return denied;
  const task = createWavTask(ctx, found.task, found.index, body.callBackUrl as string);
  ctx.tasks.add(task);
  startWavTask(ctx, task, ctx.faults.takeTaskFailure());
  return { code: 200, msg: 'success', data: { taskId: task.id } };
}

export function wavRecordInfoRoute(ctx: SimContext, query: URLSearchParams): Envelope {
  return recordInfoRoute(ctx, query, 'wav', (task) => wavRecordInfo(ctx, task));
}
