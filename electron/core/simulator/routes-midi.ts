// Handlers for MIDI transcription: generate (a finished separation, optionally one of its stems) and record-info.
import type { SimContext } from './context.ts';
import type { Envelope } from './guards.ts';
import { createMidiTask, midiRecordInfo, startMidiTask } from './midi-task.ts';
import { recordInfoRoute } from './routes-record-info.ts';
import { fieldError, validateBody } from './validate.ts';

export function createMidi(ctx: SimContext, body: Record<string, unknown>): Envelope {
  const invalid = validateBody(body, [
    { field: 'taskId', kind: 'string', required: true },
    { field: 'audioId', kind: 'string' },
    { field: 'callBackUrl', kind: 'url', required: true },
  ]);
  if (invalid) return invalid;
  const separation = ctx.tasks.get(body.taskId as string);
  if (separation?.family !== 'separation' || separation.successFlag !== 'SUCCESS')
    return fieldError('taskId', 'does not match a completed vocal separation task');
  const audioId = typeof body.audioId === 'string' ? body.audioId : null;
  if (audioId !== null && !separation.stems.some((s) => s.id === audioId))
    return fieldError('audioId', 'does not match a stem of this separation');
  const denied = ctx.guards.charge('midi');
  if (denied) return denied;
  const task = createMidiTask(ctx, separation, audioId, body.callBackUrl as string);
  ctx.tasks.add(task);
  startMidiTask(ctx, task, separation, ctx.faults.takeTaskFailure());
  return { code: 200, msg: 'success', data: { taskId: task.id } };
}

export function midiRecordInfoRoute(ctx: SimContext, query: URLSearchParams): Envelope {
  return recordInfoRoute(ctx, query, 'midi', midiRecordInfo);
}
