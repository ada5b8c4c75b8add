// Lifecycle and payloads of a WAV conversion task (kie-api.md §7.1): one stage, one callback with mixed casing.
import { absoluteApiUrl, type SimContext } from './context.ts';
import type { MusicTask, WavTask } from './task-store.ts';
import { runTask, type StageOutcome } from './task-runner.ts';
import { failureFlag } from './separation-task.ts';
import type { SimulatedTaskFailure } from './types.ts';

export function createWavTask(
  ctx: SimContext,
  source: MusicTask,
  index: number,
  callBackUrl: string,
): WavTask {
  const track = source.tracks[index];
  const id = ctx.ids.taskId();
  return {
    family: 'wav',
    id,
    kind: 'wav',
    createdAt: Date.now(),
    completedAt: null,
    callBackUrl,
    errorCode: null,
    errorMessage: null,
    cost: ctx.options().costs.wav,
    durationSec: source.durationSec,
    successFlag: 'PENDING',
    musicId: track?.id ?? '',
    musicIndex: index,
    sourceSeed: track?.seed ?? 0,
    wavPath: `/files/w/${track?.id ?? id}.wav`,
    hasResult: false,
  };
}

function wavUrl(ctx: SimContext, task: WavTask): string | null {
  return task.hasResult ? absoluteApiUrl(ctx, task.wavPath) : null;
}

export function wavRecordInfo(ctx: SimContext, task: WavTask): Record<string, unknown> {
  return {
    taskId: task.id,
    musicId: task.musicId,
    callbackUrl: task.callBackUrl,
    musicIndex: task.musicIndex,
    completeTime: task.completedAt,
    response: { audioWavUrl: wavUrl(ctx, task) },
    successFlag: task.successFlag,
    createTime: task.createdAt,
    errorCode: task.errorCode,
    errorMessage: task.errorMessage,
  };
}

function publish(ctx: SimContext, task: WavTask): void {
  ctx.apiFiles.put(task.wavPath, {
    contentType: 'audio/wav',
    expiresAt: Date.now() + ctx.options().resultRetentionMs,
    load: () => ctx.audio.wav(task.sourceSeed, task.durationSec),
    audioSeed: task.sourceSeed,
    durationSec: task.durationSec,
  });
  task.hasResult = true;
}

function finish(ctx: SimContext, task: WavTask, failure: SimulatedTaskFailure | null): StageOutcome {
  task.completedAt = Date.now();
  if (!failure) {
    publish(ctx, task);
    task.successFlag = 'SUCCESS';
    return {
      bodies: [{ code: 200, msg: 'success', data: { task_id: task.id, audioWavUrl: wavUrl(ctx, task) } }],
      isFinal: true,
    };
  }
  task.successFlag = failureFlag(failure, 'GENERATE_WAV_FAILED');
  task.errorCode = failure.code;
  task.errorMessage = failure.msg;
  if (task.successFlag === 'CALLBACK_EXCEPTION') {
    publish(ctx, task);
    return { bodies: [], isFinal: true };
  }
  if (failure.code === 531) ctx.guards.refund(task.cost);
  return {
    bodies: [{ code: failure.code, msg: failure.msg, data: { task_id: task.id, audioWavUrl: null } }],
    isFinal: true,
  };
}

export function startWavTask(ctx: SimContext, task: WavTask, failure: SimulatedTaskFailure | null): void {
  const delayMs = failure?.stage === 'create' ? 0 : ctx.options().stageDelayMs;
  runTask(ctx, task, [{ delayMs, run: () => finish(ctx, task, failure) }]);
}
