// Lifecycle of an add-instrumental / add-vocals task: PENDING → TEXT_SUCCESS → FIRST_SUCCESS → SUCCESS, with a
// callback per stage, the input-download check (451) and injected failures.
import { coverImage } from './cover-image.ts';
import { resolveHeldFile, type SimContext } from './context.ts';
import { errorBody, stageBody, takePaths } from './payloads-music.ts';
import type { MusicTask, MusicTrack } from './task-store.ts';
import { runTask, type Stage, type StageOutcome } from './task-runner.ts';
import type { MusicStatus, SimulatedTaskFailure } from './types.ts';

export const INPUT_UNREACHABLE: SimulatedTaskFailure = {
  code: 451,
  msg: 'could not download the input file',
};

const MODEL_NAMES: Record<string, string> = {
  V4_5PLUS: 'chirp-v4-5-plus',
  V5: 'chirp-v5',
  V5_5: 'chirp-v5-5',
};

export function createMusicTask(
  ctx: SimContext,
  kind: 'add-instrumental' | 'add-vocals',
  body: Record<string, unknown>,
): MusicTask {
  const options = ctx.options();
  const text = (field: string): string => (typeof body[field] === 'string' ? (body[field] as string) : '');
  const tracks: MusicTrack[] = Array.from({ length: options.trackCount }, () => ({
    id: ctx.ids.uuid(),
    seed: ctx.ids.seed(),
    createdAt: 0,
  }));
  return {
    family: 'music',
    id: ctx.ids.taskId(),
    kind,
    createdAt: Date.now(),
    completedAt: null,
    callBackUrl: text('callBackUrl'),
    errorCode: null,
    errorMessage: null,
    cost: options.costs[kind],
    durationSec: options.audioDurationSec,
    status: 'PENDING',
    param: JSON.stringify(body),
    title: text('title'),
    tags: kind === 'add-vocals' ? text('style') : text('tags'),
    prompt: kind === 'add-vocals' ? text('prompt') : '[Instrumental]',
    modelName: MODEL_NAMES[text('model') || 'V4_5PLUS'] ?? 'chirp-v4-5-plus',
    // Observed for add-instrumental in real traffic; add-vocals' value is inferred by analogy (kie-api.md §2).
    operationType: kind === 'add-instrumental' ? 'underpainting' : 'overpainting',
    uploadUrl: text('uploadUrl'),
    tracks,
    visibleTracks: 0,
  };
}

function publish(ctx: SimContext, task: MusicTask, count: number): void {
  const now = Date.now();
  const expiresAt = now + ctx.options().resultRetentionMs;
  for (const track of task.tracks.slice(task.visibleTracks, count)) {
    track.createdAt = now;
    const paths = takePaths(track);
    const audio = {
      contentType: 'audio/mpeg',
      expiresAt,
      load: () => ctx.audio.mp3(track.seed, 'mix', task.durationSec),
      audioSeed: track.seed,
      durationSec: task.durationSec,
    };
    ctx.apiFiles.put(paths.audio, audio);
    ctx.apiFiles.put(paths.stream, audio);
    const image = { contentType: 'image/png', expiresAt, audioSeed: null, durationSec: null };
    ctx.apiFiles.put(paths.image, { ...image, load: async () => coverImage(track.seed) });
  }
  task.visibleTracks = Math.max(task.visibleTracks, count);
}

function fail(ctx: SimContext, task: MusicTask, failure: SimulatedTaskFailure): StageOutcome {
  task.errorCode = failure.code;
  task.errorMessage = failure.msg;
  task.completedAt = Date.now();
  const status: MusicStatus =
    failure.status ?? (failure.stage === 'create' ? 'CREATE_TASK_FAILED' : 'GENERATE_AUDIO_FAILED');
  task.status = status;
  // CALLBACK_EXCEPTION means the tracks exist but the final callback was lost (kie-api.md §1.6).
  if (status === 'CALLBACK_EXCEPTION') {
    publish(ctx, task, task.tracks.length);
    return { bodies: [], isFinal: true };
  }
  task.visibleTracks = 0;
  if (failure.code === 531) ctx.guards.refund(task.cost);
  return { bodies: [errorBody(task, failure)], isFinal: true };
}

export function startMusicTask(ctx: SimContext, task: MusicTask, failure: SimulatedTaskFailure | null): void {
  const delayMs = ctx.options().stageDelayMs;
  const failAt = failure ? (failure.stage ?? 'text') : null;
  const failed = (): StageOutcome => fail(ctx, task, failure ?? INPUT_UNREACHABLE);
  const stages: Stage[] = [];
  if (failAt === 'create') stages.push({ delayMs: 0, run: failed });
  stages.push({
    delayMs,
    run: () => {
      if (!resolveHeldFile(ctx, task.uploadUrl)) return fail(ctx, task, INPUT_UNREACHABLE);
      if (failAt === 'text') return failed();
      task.status = 'TEXT_SUCCESS';
      return { bodies: [stageBody(ctx, task, 'text')], isIntermediate: true };
    },
  });
  stages.push({
    delayMs,
    run: () => {
      if (failAt === 'first') return failed();
      publish(ctx, task, 1);
      task.status = 'FIRST_SUCCESS';
      return { bodies: [stageBody(ctx, task, 'first')], isIntermediate: true };
    },
  });
  stages.push({
    delayMs,
    run: () => {
      if (failAt === 'complete') return failed();
      publish(ctx, task, task.tracks.length);
      task.status = 'SUCCESS';
      task.completedAt = Date.now();
      return { bodies: [stageBody(ctx, task, 'complete')], isFinal: true };
    },
  });
  runTask(ctx, task, stages);
}
