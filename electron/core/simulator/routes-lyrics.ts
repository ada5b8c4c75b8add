// Handler for get-timestamped-lyrics (kie-api.md §7.3): words timed to the take's synthetic vocal, or
// the refusal / empty answer the `lyrics` option selects (KIE's instrumental answer is empty).
import type { SimContext } from './context.ts';
import type { Envelope } from './guards.ts';
import { syntheticLyrics } from './synth-lyrics.ts';
import { validateBody } from './validate.ts';

export function timestampedLyricsRoute(ctx: SimContext, body: Record<string, unknown>): Envelope {
  const invalid = validateBody(body, [
    { field: 'taskId', kind: 'string', required: true },
    { field: 'audioId', kind: 'string', required: true },
  ]);
  if (invalid) return invalid;
  const found = ctx.tasks.findTrack(body.taskId as string, body.audioId as string);
  if (!found) return { code: 404, msg: 'music not found', data: null };
  const mode = ctx.options().lyrics;
  if (mode === 'refuse') return { code: 422, msg: 'lyrics are not available for this music', data: null };
  const alignedWords = mode === 'empty' ? [] : syntheticLyrics(found.track.seed, found.task.durationSec);
  return {
    code: 200,
    msg: 'success',
    data: { alignedWords, waveformData: [], hootCer: alignedWords.length ? 0.12 : 0, isStreamed: false },
  };
}
