// Turns a producer's submission into a KIE task: validate, upload the local file, create the task,
// record it, and adopt any callback that raced ahead of KIE's synchronous answer.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SubmitInput, SubmitSource } from '../../../shared/api.ts';
import type { StemName, TaskKind, TaskView } from '../../../shared/domain.ts';
import type { AddInstrumentalModel, AddVocalsModel } from '../../../shared/kie/limits.ts';
import { validateAddInstrumental, validateAddVocals } from '../../../shared/kie/limits.ts';
import type { KieClient } from '../kie/index.ts';
import { createValidationError, isKieError, provesNothingCreated } from '../kie/errors.ts';
import { uploadProblem } from '../kie/upload.ts';
import type { PendingTask, Store } from '../store/index.ts';
import { StemhookError } from '../stemhook-error.ts';

/** KIE requires a callBackUrl; without a public URL we give one that can never resolve (RFC 2606). */
export const POLLING_ONLY_CALLBACK_URL = 'https://polling-only.stemhook.invalid/callback';

export class SubmitError extends StemhookError<
  'source_missing' | 'source_unreadable' | 'source_refused' | 'parent_missing' | 'parent_not_ready'
> {
  constructor(code: SubmitError['code'], message: string) {
    super(code, message);
    this.name = 'SubmitError';
  }
}

export interface SubmitterOptions {
  store: Store;
  kie: KieClient;
  /** The callback URL for one submission; it carries the submission id so a lost answer is recoverable. */
  callbackUrl: (submissionId: string) => string;
  /** When the reconciler should first look at a new task (its schedule, not a guess). */
  firstPollDelayMs: () => number;
  resolveStagedFile: (fileId: string) => { path: string; name: string } | null;
  adoptOrphanCallbacks: (kieTaskId: string) => void;
  /** Reads a finished separation's record-info for the stem ids KIE's callback left out. */
  fetchStemIds: (taskId: string) => Promise<boolean>;
  now?: () => number;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks the form before the (possibly large) upload, so a typo never costs an upload. */
function precheck(input: SubmitInput): void {
  if ('from' in input) return;
  const uploadUrl = 'https://upload.pending.invalid/audio.mp3';
  const errors =
    input.kind === 'add-instrumental'
      ? validateAddInstrumental({ ...input, uploadUrl })
      : input.kind === 'add-vocals'
        ? validateAddVocals({ ...input, uploadUrl })
        : [];
  if (errors.length > 0) throw createValidationError(errors);
}

interface Prepared {
  request: Record<string, unknown>;
  source: { path: string; name: string; sha256: string } | null;
  parent: { id: string; audioId: string | null } | null;
  title: string | null;
  send: (callBackUrl: string) => Promise<{ taskId: string }>;
}

export function createSubmitter(options: SubmitterOptions) {
  const { store, kie } = options;
  const now = options.now ?? Date.now;

  async function readSource(source: SubmitSource): Promise<{ path: string; name: string; sha256: string }> {
    const staged =
      'fileId' in source
        ? options.resolveStagedFile(source.fileId)
        : { path: source.path, name: basename(source.path) };
    if (!staged)
      throw new SubmitError('source_missing', 'The dropped file is no longer available; drop it again.');
    const info = await stat(staged.path).catch(() => null);
    if (!info?.isFile()) throw new SubmitError('source_missing', `No audio file at ${staged.path}`);
    if (info.size === 0) throw new SubmitError('source_unreadable', `${staged.name} is empty`);
    // Before hashing: a 2 GB file or a text file renamed .mp3 is refused at once, never sent or billed.
    const problem = await uploadProblem(staged.path, staged.name, info.size).catch((error: unknown) => {
      throw new SubmitError(
        'source_unreadable',
        `${staged.name} cannot be read: ${(error as Error).message}`,
      );
    });
    if (problem) throw new SubmitError('source_refused', problem);
    return { ...staged, sha256: await sha256Of(staged.path) };
  }

  /** A MIDI task transcribes a finished separation: every stem, or the one whose KIE id we know. */
  async function prepareMidi(from: { taskId: string; stem?: StemName }): Promise<Prepared> {
    const parent = store.tasks.get(from.taskId);
    if (!parent) throw new SubmitError('parent_missing', `No task ${from.taskId} in the library`);
    if ((parent.kind !== 'separate_vocal' && parent.kind !== 'split_stem') || parent.state !== 'complete')
      throw new SubmitError('parent_not_ready', 'Only a finished separation can be transcribed to MIDI.');
    let audioId: string | undefined;
    if (from.stem) {
      const stemOf = () => store.tracks.rowsOf(parent.id).find((t) => t.stem === from.stem);
      if (!stemOf()) throw new SubmitError('parent_missing', `This separation has no ${from.stem} stem.`);
      if (!stemOf()?.audio_id) await options.fetchStemIds(parent.id);
      audioId = stemOf()?.audio_id ?? undefined;
      if (!audioId)
        throw new SubmitError(
          'parent_not_ready',
          `KIE has not told us the id of the ${from.stem} stem yet, so it cannot be transcribed alone. Try again in a minute, or transcribe every stem.`,
        );
    }
    const request = { taskId: parent.kie_task_id, audioId };
    return {
      request,
      source: null,
      parent: { id: parent.id, audioId: audioId ?? null },
      title: parent.title,
      send: (callBackUrl) => kie.generateMidi({ ...request, callBackUrl }),
    };
  }

  /** Everything up to the KIE create call: checks, the upload, the exact request. */
  async function prepare(input: SubmitInput): Promise<Prepared> {
    if (input.kind === 'midi') return prepareMidi(input.from);
    if ('from' in input) {
      const parent = store.tasks.get(input.from.taskId);
      if (!parent) throw new SubmitError('parent_missing', `No task ${input.from.taskId} in the library`);
      const target = { taskId: parent.kie_task_id, audioId: input.from.audioId };
      const parentRef = { id: parent.id, audioId: input.from.audioId };
      const base = { source: null, parent: parentRef, title: parent.title };
      if (input.kind === 'wav') {
        return {
          ...base,
          request: target,
          send: (callBackUrl) => kie.convertToWav({ ...target, callBackUrl }),
        };
      }
      const request = { ...target, type: input.kind };
      return { ...base, request, send: (callBackUrl) => kie.separate({ ...request, callBackUrl }) };
    }
    precheck(input);
    const source = await readSource(input.source);
    const { downloadUrl } = await kie.uploadFile({ path: source.path, fileName: source.name });
    if (input.kind === 'separate_vocal' || input.kind === 'split_stem') {
      const request = { audioUrl: downloadUrl, type: input.kind };
      const title = source.name.replace(/\.[^.]+$/, '');
      return {
        request,
        source,
        parent: null,
        title,
        send: (callBackUrl) => kie.separate({ ...request, callBackUrl }),
      };
    }
    if (input.kind === 'add-instrumental') {
      const { source: _source, kind: _kind, ...fields } = input;
      const request = { ...fields, uploadUrl: downloadUrl };
      const model = fields.model as AddInstrumentalModel | undefined;
      const send = (callBackUrl: string) => kie.addInstrumental({ ...request, model, callBackUrl });
      return { request, source, parent: null, title: input.title, send };
    }
    if (input.kind !== 'add-vocals') throw new Error(`unknown task kind ${input.kind}`);
    const { source: _source, kind: _kind, ...fields } = input;
    const request = { ...fields, uploadUrl: downloadUrl };
    const model = fields.model as AddVocalsModel | undefined;
    const send = (callBackUrl: string) => kie.addVocals({ ...request, model, callBackUrl });
    return { request, source, parent: null, title: input.title, send };
  }

  async function submit(input: SubmitInput): Promise<TaskView> {
    const prepared = await prepare(input);
    const id = randomUUID();
    const callBackUrl = options.callbackUrl(id);
    const at = now();
    const task: PendingTask = {
      id,
      kind: input.kind as TaskKind,
      title: prepared.title,
      source_name: prepared.source?.name ?? null,
      source_path: prepared.source?.path ?? null,
      source_sha256: prepared.source?.sha256 ?? null,
      params: JSON.stringify(prepared.request),
      parent_task_id: prepared.parent?.id ?? null,
      parent_audio_id: prepared.parent?.audioId ?? null,
      callback_url: callBackUrl,
      created_at: at,
      next_poll_at: at + options.firstPollDelayMs(),
    };
    // Written before KIE is called: if its answer is lost, KIE's first callback still finds it.
    store.pending.put(task);
    let kieTaskId: string;
    try {
      kieTaskId = (await prepared.send(callBackUrl)).taskId;
    } catch (error) {
      // A refusal means KIE created nothing: the row would only wait for a callback that never comes.
      if (!isKieError(error) || provesNothingCreated(error)) {
        store.pending.remove(id);
      } else if (callBackUrl !== POLLING_ONLY_CALLBACK_URL) {
        error.message += ' If KIE did create the task, it appears in the library when KIE calls back.';
      }
      throw error;
    }
    store.transaction(() => {
      store.pending.remove(id);
      if (!store.tasks.getByKieId(kieTaskId)) store.tasks.insert({ ...task, kie_task_id: kieTaskId });
    });
    options.adoptOrphanCallbacks(kieTaskId);
    const view = store.tasks.view(kieTaskId);
    if (!view) throw new Error('task vanished right after insert');
    return view;
  }

  /** Submits a task again with the same settings (a new KIE task, billed again). */
  async function retry(taskId: string): Promise<TaskView> {
    const task = store.tasks.get(taskId);
    if (!task) throw new SubmitError('parent_missing', `No task ${taskId} in the library`);
    const params = JSON.parse(task.params) as Record<string, unknown>;
    const {
      uploadUrl: _expired,
      audioUrl: _alsoExpired,
      taskId: _kieParent,
      audioId,
      type: _type,
      ...fields
    } = params;
    if (task.kind === 'midi' && task.parent_task_id) {
      const stem = task.parent_audio_id
        ? store.tracks.rowsOf(task.parent_task_id).find((t) => t.audio_id === task.parent_audio_id)?.stem
        : undefined;
      return submit({ kind: 'midi', from: { taskId: task.parent_task_id, stem } });
    }
    if (task.parent_task_id && typeof audioId === 'string') {
      const from = { taskId: task.parent_task_id, audioId };
      return submit(
        task.kind === 'wav'
          ? { kind: 'wav', from }
          : { kind: task.kind as 'separate_vocal' | 'split_stem', from },
      );
    }
    if (!task.source_path)
      throw new SubmitError('source_missing', 'The source file of this task is not known; submit it again.');
    return submit({ ...fields, kind: task.kind, source: { path: task.source_path } } as SubmitInput);
  }

  return { submit, retry };
}
