// Lyrics on the real core against the KIE simulator: every take of a completed task gets its words
// once (kept across a restart with KIE refusing meanwhile), an instrumental or a refusal is the quiet
// "none", an answer that never came is not stored, and the producer can ask again.
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskView } from '../../shared/domain.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { submitVocalTake } from '../helpers/vocal-take.ts';

const lives: LiveCore[] = [];
afterEach(async () => {
  for (const live of lives.splice(0).reverse()) await live.close();
});

async function start(...args: Parameters<typeof startLiveCore>): Promise<LiveCore> {
  const live = await startLiveCore(...args);
  lives.push(live);
  return live;
}

async function generate(l: LiveCore): Promise<TaskView> {
  return l.waitFor((await submitVocalTake(l)).id, isSettled, SLOW_MS);
}

/** Rendering and encoding a 12 s take takes a while on a shared, loaded machine (a deadline, not a measure). */
const SLOW_MS = 120_000;

const lyricsAnswered = (task: TaskView) =>
  isSettled(task) && task.tracks.every((t) => t.lyrics !== undefined && t.lyrics.state !== 'pending');

describe('lyrics on the live core', () => {
  it(
    'fetches every take once after completion and keeps the words across a restart',
    { timeout: 240_000 },
    async () => {
      const l = await start({ audioDurationSec: 12 });
      const task = await l.waitFor((await generate(l)).id, lyricsAnswered, SLOW_MS);
      expect(task.tracks).toHaveLength(2);
      for (const take of task.tracks) {
        expect(take.lyrics?.state).toBe('found');
        expect(take.lyrics?.sections.map((s) => s.name)).toEqual(['Verse', 'Chorus']);
        const view = await l.core.handlers['lyrics.get']({ trackId: take.id });
        expect(view.lines.length).toBe(2);
        expect(view.lines[1]?.startSec).toBe(view.sections[1]?.startSec);
      }
      // Asked once: KIE refusing now changes nothing, even when something else completes.
      l.sim.control.setOptions({ lyrics: 'refuse' });
      l.core.lyrics.kick();
      await l.core.lyrics.idle();
      expect((await l.core.handlers['tasks.get']({ id: task.id })).tracks[0]?.lyrics?.state).toBe('found');

      // A restart against a KIE that refuses everything: the stored words are still there.
      await l.core.close();
      const again = await start({ lyrics: 'refuse' }, { dataDir: l.dataDir });
      const reopened = await again.core.handlers['tasks.get']({ id: task.id });
      expect(reopened.tracks.map((t) => t.lyrics?.state)).toEqual(['found', 'found']);
      const view = await again.core.handlers['lyrics.get']({ trackId: task.tracks[0]?.id ?? '' });
      expect(view.lines.flatMap((line) => line.words).length).toBeGreaterThan(4);
    },
  );

  it(
    'an empty answer or a refusal is the quiet "none", and the task stays complete',
    { timeout: 240_000 },
    async () => {
      for (const mode of ['empty', 'refuse'] as const) {
        const l = await start({ lyrics: mode });
        const task = await l.waitFor((await generate(l)).id, lyricsAnswered, SLOW_MS);
        expect(task.state).toBe('complete');
        expect(task.error).toBeNull();
        expect(task.tracks.map((t) => t.lyrics)).toEqual([
          { state: 'none', sections: [] },
          { state: 'none', sections: [] },
        ]);
      }
    },
  );

  it(
    'asking again: an answer that never came changes nothing stored and the producer is told; the next fetches',
    { timeout: 240_000 },
    async () => {
      const l = await start({ lyrics: 'refuse' }, { kie: { maxRetries: 0 } });
      const task = await l.waitFor((await generate(l)).id, lyricsAnswered, SLOW_MS);
      const trackId = task.tracks[0]?.id ?? '';
      l.sim.control.setOptions({ lyrics: 'words' });
      l.sim.control.failNextRequest({ httpStatus: 502, body: '<html><title>Bad Gateway</title></html>' });
      await expect(l.core.handlers['lyrics.fetch']({ trackId })).rejects.toMatchObject({ code: 'server' });
      expect((await l.core.handlers['lyrics.get']({ trackId })).state).toBe('none');
      const fetched = await l.core.handlers['lyrics.fetch']({ trackId });
      expect(fetched.state).toBe('found');
      expect(fetched.sections.length).toBeGreaterThan(0);
    },
  );
});
