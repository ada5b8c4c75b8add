// The shared shape of every record-info route: the task id is required, polls are rate-limited per
// task, and an id of another family (or none) answers KIE's "recordInfo is null".
import type { SimContext } from './context.ts';
import type { Envelope } from './guards.ts';
import type { SimTask } from './task-store.ts';
import { fieldError } from './validate.ts';

export const RECORD_INFO_NULL: Envelope = { code: 422, msg: 'recordInfo is null', data: null };

export function recordInfoRoute<F extends SimTask['family']>(
  ctx: SimContext,
  query: URLSearchParams,
  family: F,
  toData: (task: Extract<SimTask, { family: F }>) => unknown,
): Envelope {
  const taskId = query.get('taskId');
  if (!taskId) return fieldError('taskId', 'is required');
  const limited = ctx.guards.checkRecordInfoRate(taskId);
  if (limited) return limited;
  const task = ctx.tasks.get(taskId);
  if (task?.family !== family) return RECORD_INFO_NULL;
  return { code: 200, msg: 'success', data: toData(task as Extract<SimTask, { family: F }>) };
}
