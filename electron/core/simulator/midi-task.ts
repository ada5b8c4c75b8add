// Lifecycle and payloads of a MIDI transcription (kie-api.md §7.2): the notes the synthetic stems
// really play, one callback in either documented shape, and record-info with an integer successFlag.
import { scoreStem } from './synth-audio.ts';
import type { ScoredNote } from './synth-score.ts';
import { STEMS, type StemKey } from './stems.ts';
import type { SimContext } from './context.ts';
import type { SeparationTask, SimMidiTask } from './task-store.ts';
import { runTask, type StageOutcome } from './task-runner.ts';
import type { MidiVariants, SimulatedTaskFailure } from './types.ts';

/** What the simulator calls each stem's instrument: General MIDI names, as a transcriber would. */
export const INSTRUMENT_NAMES: Record<StemKey, string> = {
  vocals: 'Lead Vocals',
  backing_vocals: 'Choir Aahs',
  drums: 'Drums',
  bass: 'Electric Bass (finger)',
  guitar: 'Acoustic Guitar (steel)',
  keyboard: 'Acoustic Grand Piano',
  percussion: 'Percussion',
  strings: 'String Ensemble 1',
  synth: 'Lead 1 (square)',
  fx: 'FX 1 (rain)',
  brass: 'Brass Section',
  woodwinds: 'Flute',
};

/** The stems whose notes a transcription of these separation parts holds (instrumental = all but vocals). */
function stemKeysOf(separation: SeparationTask, audioId: string | null): StemKey[] {
  const parts = separation.stems.filter((s) => audioId === null || s.id === audioId).map((s) => s.part);
  return STEMS.map((s) => s.key).filter(
    (key) => parts.includes(key) || (key !== 'vocals' && parts.includes('instrumental')),
  );
}

function writeTime(seconds: number, index: number, format: MidiVariants['timeFormat']): number | string {
  const rounded = Math.round(seconds * 1e6) / 1e6;
  const asString = format === 'string' || (format === 'mixed' && index % 2 === 1);
  return asString ? String(rounded) : rounded;
}

function instruments(separation: SeparationTask, audioId: string | null, variants: MidiVariants): unknown[] {
  return stemKeysOf(separation, audioId)
    .map((key) => ({ key, notes: scoreStem(separation.sourceSeed, key, separation.durationSec) }))
    .filter(({ notes }) => notes.length > 0)
    .map(({ key, notes }) => ({
      name: INSTRUMENT_NAMES[key],
      notes: notes.map((n: ScoredNote, i) => ({
        pitch: n.pitch,
        start: writeTime(n.start, i, variants.timeFormat),
        end: writeTime(n.end, i + 1, variants.timeFormat),
        velocity: Math.round(n.velocity * 1000) / 1000,
      })),
    }));
}

export function createMidiTask(
  ctx: SimContext,
  separation: SeparationTask,
  audioId: string | null,
  callBackUrl: string,
): SimMidiTask {
  return {
    family: 'midi',
    id: ctx.ids.taskId(),
    kind: 'midi',
    createdAt: Date.now(),
    completedAt: null,
    callBackUrl,
    errorCode: null,
    errorMessage: null,
    cost: ctx.options().costs.midi,
    durationSec: separation.durationSec,
    successFlag: 0,
    separationId: separation.id,
    audioId,
    midiData: null,
  };
}

export function midiRecordInfo(task: SimMidiTask): Record<string, unknown> {
  return {
    taskId: task.id,
    recordTaskId: -1,
    audioId: task.audioId ?? '',
    callbackUrl: task.callBackUrl,
    completeTime: task.completedAt,
    midiData: task.midiData,
    successFlag: task.successFlag,
    createTime: task.createdAt,
    errorCode: task.errorCode === null ? null : String(task.errorCode),
    errorMessage: task.errorMessage,
  };
}

/** Both documented shapes: `task_id` beside `code` (EN page) or `taskId` inside `data` (CN page). */
function callbackBody(task: SimMidiTask, code: number, msg: string, variants: MidiVariants): unknown {
  const data = task.midiData ?? { state: 'failed' };
  return variants.callbackShape === 'top-level'
    ? { task_id: task.id, code, msg, data }
    : { code, msg, data: { taskId: task.id, ...data } };
}

function finish(
  ctx: SimContext,
  task: SimMidiTask,
  separation: SeparationTask,
  failure: SimulatedTaskFailure | null,
): StageOutcome {
  const variants = ctx.options().midi;
  task.completedAt = Date.now();
  if (failure) {
    task.successFlag = failure.status === 'CREATE_TASK_FAILED' || failure.stage === 'create' ? 2 : 3;
    task.errorCode = failure.code;
    task.errorMessage = failure.msg;
    return { bodies: [callbackBody(task, failure.code, failure.msg, variants)], isFinal: true };
  }
  task.successFlag = 1;
  task.midiData =
    variants.result === 'missing'
      ? { state: 'complete' }
      : {
          state: 'complete',
          instruments: variants.result === 'empty' ? [] : instruments(separation, task.audioId, variants),
        };
  return { bodies: [callbackBody(task, 200, 'success', variants)], isFinal: true };
}

export function startMidiTask(
  ctx: SimContext,
  task: SimMidiTask,
  separation: SeparationTask,
  failure: SimulatedTaskFailure | null,
): void {
  const delayMs = failure?.stage === 'create' ? 0 : ctx.options().stageDelayMs;
  runTask(ctx, task, [{ delayMs, run: () => finish(ctx, task, separation, failure) }]);
}
