// Handlers for add-instrumental, add-vocals and music record-info (kie-api.md §2-§4).
import type { SimContext } from './context.ts';
import type { Envelope } from './guards.ts';
import { createMusicTask, startMusicTask } from './music-task.ts';
import { musicRecordInfo } from './payloads-music.ts';
import { recordInfoRoute } from './routes-record-info.ts';
import { validateBody, type FieldRule } from './validate.ts';

const MODELS = ['V4_5PLUS', 'V5', 'V5_5'] as const;

const OPTIONAL_RULES: FieldRule[] = [
  { field: 'model', kind: 'enum', values: MODELS },
  { field: 'vocalGender', kind: 'enum', values: ['m', 'f'] },
  { field: 'styleWeight', kind: 'unit' },
  { field: 'weirdnessConstraint', kind: 'unit' },
  { field: 'audioWeight', kind: 'unit' },
];

const INSTRUMENTAL_RULES: FieldRule[] = [
  { field: 'uploadUrl', kind: 'url', required: true },
  { field: 'title', kind: 'string', required: true, max: 100 },
  { field: 'tags', kind: 'string', required: true, max: 1000 },
  { field: 'negativeTags', kind: 'string', required: true, allowEmpty: true, max: 200 },
  { field: 'callBackUrl', kind: 'url', required: true },
  ...OPTIONAL_RULES,
];

// kie-api.md §3: all six treated as required; `tags` is optional and only length-checked.
const VOCALS_RULES: FieldRule[] = [
  { field: 'uploadUrl', kind: 'url', required: true },
  { field: 'prompt', kind: 'string', required: true },
  { field: 'title', kind: 'string', required: true, max: 100 },
  { field: 'style', kind: 'string', required: true, max: 1000 },
  { field: 'negativeTags', kind: 'string', required: true, allowEmpty: true, max: 200 },
  { field: 'callBackUrl', kind: 'url', required: true },
  { field: 'tags', kind: 'string', allowEmpty: true, max: 1000 },
  ...OPTIONAL_RULES,
];

export function createMusic(
  ctx: SimContext,
  kind: 'add-instrumental' | 'add-vocals',
  body: Record<string, unknown>,
): Envelope {
  const invalid = validateBody(body, kind === 'add-instrumental' ? INSTRUMENTAL_RULES : VOCALS_RULES);
  if (invalid) return invalid;
  const denied = ctx.guards.charge(kind);
  if (denied) return denied;
  const task = createMusicTask(ctx, kind, body);
  ctx.tasks.add(task);
  startMusicTask(ctx, task, ctx.faults.takeTaskFailure());
  return { code: 200, msg: 'success', data: { taskId: task.id } };
}

export function musicRecordInfoRoute(ctx: SimContext, query: URLSearchParams): Envelope {
  return recordInfoRoute(ctx, query, 'music', (task) => musicRecordInfo(ctx, task));
}
