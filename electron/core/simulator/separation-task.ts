// Lifecycle of a vocal-removal task: one stage that publishes the stems (vocals + instrumental, or twelve) and
// sends a single callback, or fails (input unreachable, injected failure).
import { resolveHeldFile, type SimContext } from './context.ts';
import { INPUT_UNREACHABLE } from './music-task.ts';
import { separationBody } from './payloads-separation.ts';
import { INSTRUMENTAL, STEMS, stemInfo } from './stems.ts';
import type { ResultFlag, SeparationTask, StemFile } from './task-store.ts';
import { runTask, type Stage, type StageOutcome } from './task-runner.ts';
import type { SimulatedTaskFailure } from './types.ts';

export interface SeparationSource {
  musicId: string;
  musicIndex: number;
  audioUrl: string | null;
  sourceSeed: number;
  durationSec: number;
}

export function createSeparationTask(
  ctx: SimContext,
  type: 'separate_vocal' | 'split_stem',
  callBackUrl: string,
  source: SeparationSource,
): SeparationTask {
  const stemFile = (part: StemFile['part'], info: StemFile['info']): StemFile => {
    const id = ctx.ids.uuid();
    return { part, info, id, path: `/files/s/${id}_${info.label}.mp3` };
  };
  const stems =
    type === 'separate_vocal'
      ? [stemFile('vocals', stemInfo('vocals')), stemFile('instrumental', INSTRUMENTAL)]
      : STEMS.map((s) => stemFile(s.key, s));
  return {
    family: 'separation',
    id: ctx.ids.taskId(),
    kind: type,
    type,
    createdAt: Date.now(),
    completedAt: null,
    callBackUrl,
    errorCode: null,
    errorMessage: null,
    cost: ctx.options().costs[type],
    successFlag: 'PENDING',
    stems,
    hasResult: false,
    ...source,
  };
}

function publish(ctx: SimContext, task: SeparationTask): void {
  const expiresAt = Date.now() + ctx.options().resultRetentionMs;
  for (const stem of task.stems) {
    ctx.apiFiles.put(stem.path, {
      contentType: 'audio/mpeg',
      expiresAt,
      load: () => ctx.audio.mp3(task.sourceSeed, stem.part, task.durationSec),
      audioSeed: null,
      durationSec: task.durationSec,
    });
  }
  task.hasResult = true;
}

export function failureFlag(failure: SimulatedTaskFailure, generationFailed: ResultFlag): ResultFlag {
  if (failure.status === 'CREATE_TASK_FAILED' || failure.stage === 'create') return 'CREATE_TASK_FAILED';
  if (failure.status === 'CALLBACK_EXCEPTION') return 'CALLBACK_EXCEPTION';
  return generationFailed;
}

function fail(ctx: SimContext, task: SeparationTask, failure: SimulatedTaskFailure): StageOutcome {
  task.successFlag = failureFlag(failure, 'GENERATE_AUDIO_FAILED');
  task.errorCode = failure.code;
  task.errorMessage = failure.msg;
  task.completedAt = Date.now();
  if (task.successFlag === 'CALLBACK_EXCEPTION') {
    publish(ctx, task);
    return { bodies: [], isFinal: true };
  }
  if (failure.code === 531) ctx.guards.refund(task.cost);
  return { bodies: [separationBody(ctx, task, failure)], isFinal: true };
}

export function startSeparationTask(
  ctx: SimContext,
  task: SeparationTask,
  failure: SimulatedTaskFailure | null,
): void {
  const stage: Stage = {
    delayMs: failure?.stage === 'create' ? 0 : ctx.options().stageDelayMs,
    run: () => {
      if (failure?.stage === 'create') return fail(ctx, task, failure);
      if (task.audioUrl !== null && !resolveHeldFile(ctx, task.audioUrl))
        return fail(ctx, task, INPUT_UNREACHABLE);
      if (failure) return fail(ctx, task, failure);
      publish(ctx, task);
      task.successFlag = 'SUCCESS';
      task.completedAt = Date.now();
      return { bodies: [separationBody(ctx, task, null)], isFinal: true };
    },
  };
  runTask(ctx, task, [stage]);
}
