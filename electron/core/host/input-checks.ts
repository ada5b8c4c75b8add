// The shape of every contract input, checked at the boundary both shells call through, so a wrong
// type or an unknown value gets one plain bad_request instead of reaching SQL or the disk (where it
// surfaced as internal TypeError text). Export options keep their own checks in export/presets.ts.
import type { ApiHandlers, ApiInput, ApiMethod } from '../../../shared/api.ts';
import { STEM_NAMES, TASK_KINDS, TASK_STATES } from '../../../shared/domain.ts';
import { checkExportFolder, folderTextProblem } from '../export/folder.ts';
import { BadRequestError } from './api-errors.ts';

type Fields = Record<string, unknown>;

function bad(message: string): never {
  throw new BadRequestError(message);
}

function fields(input: unknown): Fields {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) bad('The input must be an object');
  return input as Fields;
}

function text(input: Fields, name: string, isRequired: boolean): void {
  const value = input[name];
  if (value === undefined && !isRequired) return;
  if (typeof value !== 'string' || value === '') bad(`${name} must be a non-empty text`);
}

function whole(input: Fields, name: string, min: number, max: number): void {
  const value = input[name];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    bad(`${name} must be a whole number from ${min} to ${max}`);
}

function oneOf(input: Fields, name: string, allowed: readonly string[]): void {
  const value = input[name];
  if (value !== undefined && !allowed.includes(value as string))
    bad(`${name} must be one of ${allowed.join(', ')}`);
}

function nullableText(input: Fields, name: string): void {
  const value = input[name];
  if (value !== undefined && value !== null && typeof value !== 'string')
    bad(`${name} must be text (or null to clear it)`);
}

async function checkPreferences(value: unknown): Promise<void> {
  if (value === undefined) return;
  const preferences = fields(value);
  for (const [key, pref] of Object.entries(preferences))
    if (!['string', 'number', 'boolean'].includes(typeof pref))
      bad(`The preference ${key} must be text, a number or true/false`);
  const dir = preferences['export.dir'];
  // An empty export.dir means "the default folder"; anything else must be usable now.
  if (dir === undefined || dir === '') return;
  const problem = folderTextProblem(dir);
  if (problem) bad(problem);
  await checkExportFolder(dir as string);
}

const MUSIC_TEXT = ['title', 'tags', 'negativeTags', 'prompt', 'style', 'model'];
const MUSIC_NUMBERS = ['styleWeight', 'weirdnessConstraint', 'audioWeight'];

function checkSubmit(submit: unknown): void {
  const input = fields(submit);
  if (!TASK_KINDS.includes(input.kind as never)) bad(`kind must be one of ${TASK_KINDS.join(', ')}`);
  if (input.source !== undefined) {
    const source = fields(input.source);
    if (typeof source.path !== 'string' && typeof source.fileId !== 'string')
      bad('source must be { path } of an audio file or { fileId } of a dropped one');
  }
  if (input.from !== undefined) {
    // Types only: empty or unknown ids get the submitter's own 'validation' answer.
    const from = fields(input.from);
    if (input.kind === 'midi') {
      if (typeof from.taskId !== 'string') bad('from must be { taskId, stem? } of a finished separation');
      oneOf(from, 'stem', STEM_NAMES);
    } else if (typeof from.taskId !== 'string' || typeof from.audioId !== 'string')
      bad('from must be { taskId, audioId } as text');
  }
  const isFromTake = input.kind === 'wav' || input.kind === 'midi' || input.source === undefined;
  if (isFromTake && input.from === undefined)
    bad(
      input.kind === 'midi'
        ? 'Give from: { taskId } of a finished separation'
        : input.kind === 'wav'
          ? 'Give from: { taskId, audioId }'
          : 'Give the audio: source or from',
    );
  for (const name of MUSIC_TEXT)
    if (input[name] !== undefined && typeof input[name] !== 'string') bad(`${name} must be text`);
  for (const name of MUSIC_NUMBERS)
    if (input[name] !== undefined && typeof input[name] !== 'number') bad(`${name} must be a number`);
}

const CHECKS: { [M in ApiMethod]?: (input: ApiInput<M>) => void | Promise<void> } = {
  'tasks.submit': checkSubmit,
  'tasks.list': (query) => {
    const input = fields(query);
    if (input.search !== undefined && typeof input.search !== 'string') bad('search must be text');
    oneOf(input, 'state', TASK_STATES);
    oneOf(input, 'kind', TASK_KINDS);
    whole(input, 'limit', 1, 1000);
    whole(input, 'offset', 0, Number.MAX_SAFE_INTEGER);
  },
  'tasks.get': (input) => text(fields(input), 'id', true),
  'tasks.retry': (input) => text(fields(input), 'id', true),
  'tasks.refresh': (input) => text(fields(input), 'id', false),
  'tasks.source': (input) => text(fields(input), 'id', true),
  'tasks.residual': (input) => text(fields(input), 'id', true),
  'midi.notes': (input) => text(fields(input), 'taskId', true),
  'tracks.peaks': (input) => {
    text(fields(input), 'trackId', true);
    whole(fields(input), 'pixels', 1, 1_000_000);
  },
  'lyrics.get': (input) => text(fields(input), 'trackId', true),
  'lyrics.fetch': (input) => text(fields(input), 'trackId', true),
  'callbacks.list': (input) => {
    text(fields(input), 'taskId', false);
    whole(fields(input), 'limit', 1, 1000);
  },
  'callbacks.replay': (input) => {
    if (fields(input).id === undefined) bad('id must be a callback number');
    whole(fields(input), 'id', 1, Number.MAX_SAFE_INTEGER);
  },
  'export.prepareDrag': (input) => {
    const ids = fields(input).trackIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
      bad('trackIds must be a list of track ids');
  },
  'settings.update': async (patch) => {
    const input = fields(patch);
    for (const name of ['apiKey', 'hmacKey', 'ngrokAuthtoken', 'ngrokDomain', 'publicUrl'])
      nullableText(input, name);
    await checkPreferences(input.preferences);
  },
};

/** The same handlers, each refusing a malformed input before it runs. */
export function withInputChecks(handlers: ApiHandlers): ApiHandlers {
  const checked = { ...handlers } as Record<ApiMethod, (input: unknown) => Promise<unknown>>;
  for (const [method, check] of Object.entries(CHECKS) as Array<[ApiMethod, (input: unknown) => unknown]>) {
    const handler = checked[method];
    checked[method] = async (input) => {
      await check(input);
      return handler(input);
    };
  }
  return checked as ApiHandlers;
}
