// Music-family payloads (kie-api.md §4): stage and failure callbacks (snake_case) and record-info (camelCase).
import { absoluteApiUrl, type SimContext } from './context.ts';
import type { MusicTask, MusicTrack } from './task-store.ts';
import type { SimulatedTaskFailure } from './types.ts';

type MusicStage = 'text' | 'first' | 'complete';

const STAGE_MESSAGES: Record<MusicStage, string> = {
  text: 'Text generation completed successfully.',
  first: 'First track generated successfully.',
  complete: 'All generated successfully.',
};

export function takePaths(track: MusicTrack): { audio: string; stream: string; image: string } {
  return {
    audio: `/files/${track.id}.mp3`,
    stream: `/files/stream/${track.id}.mp3`,
    image: `/files/img/${track.id}.png`,
  };
}

function createTimeText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function visible(task: MusicTask): MusicTrack[] {
  return task.tracks.slice(0, task.visibleTracks);
}

function trackSnake(ctx: SimContext, task: MusicTask, track: MusicTrack): Record<string, unknown> {
  const paths = takePaths(track);
  return {
    id: track.id,
    audio_url: absoluteApiUrl(ctx, paths.audio),
    stream_audio_url: absoluteApiUrl(ctx, paths.stream),
    image_url: absoluteApiUrl(ctx, paths.image),
    prompt: task.prompt,
    model_name: task.modelName,
    title: task.title,
    tags: task.tags,
    createTime:
      ctx.options().createTimeFormat === 'epoch' ? track.createdAt : createTimeText(track.createdAt),
    duration: task.durationSec,
  };
}

function trackCamel(ctx: SimContext, task: MusicTask, track: MusicTrack): Record<string, unknown> {
  const paths = takePaths(track);
  return {
    id: track.id,
    audioUrl: absoluteApiUrl(ctx, paths.audio),
    streamAudioUrl: absoluteApiUrl(ctx, paths.stream),
    imageUrl: absoluteApiUrl(ctx, paths.image),
    prompt: task.prompt,
    modelName: task.modelName,
    title: task.title,
    tags: task.tags,
    createTime: track.createdAt,
    duration: task.durationSec,
  };
}

export function stageBody(ctx: SimContext, task: MusicTask, stage: MusicStage): unknown {
  const tracks = stage === 'text' ? [] : visible(task).map((t) => trackSnake(ctx, task, t));
  return {
    code: 200,
    msg: STAGE_MESSAGES[stage],
    data: { callbackType: stage, task_id: task.id, data: tracks },
  };
}

/** Both documented failure shapes (§4.1): a `data.error` string, or `data.data: null`. */
export function errorBody(task: MusicTask, failure: SimulatedTaskFailure): unknown {
  const data =
    failure.shape === 'error-field'
      ? { callbackType: 'error', task_id: task.id, error: failure.msg }
      : { callbackType: 'error', task_id: task.id, data: null };
  return { code: failure.code, msg: failure.msg, data };
}

export function musicRecordInfo(ctx: SimContext, task: MusicTask): unknown {
  const sunoData = visible(task).map((t) => trackCamel(ctx, task, t));
  const response =
    task.errorMessage === null
      ? { taskId: task.id, sunoData }
      : { taskId: task.id, sunoData, errorMessage: task.errorMessage };
  return {
    taskId: task.id,
    parentMusicId: '',
    param: task.param,
    response,
    status: task.status,
    type: 'chirp-v4',
    operationType: task.operationType,
    errorCode: task.errorCode,
    errorMessage: task.errorMessage,
  };
}
