// Lyrics in exports on the real core against the KIE simulator: `<Title>.lrc` beside the stems of a
// take and of a split of it (its lines at the lyrics' times), section markers in the DAWproject
// (validated with xmllint against the published schema) and in the RPP, read back at their times.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskView } from '../../shared/domain.ts';
import { parseLrc } from '../../shared/lyrics.ts';
import { hasXmllint, validateDawXml } from '../helpers/dawproject-schema.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { submitVocalTake } from '../helpers/vocal-take.ts';

let live: LiveCore | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
});

/** Rendering and encoding a 12 s take takes a while on a shared, loaded machine (a deadline, not a measure). */
const SLOW_MS = 120_000;

async function takeWithLyrics(l: LiveCore): Promise<TaskView> {
  const task = await submitVocalTake(l);
  return l.waitFor(
    task.id,
    (t) => isSettled(t) && t.tracks.every((tr) => tr.lyrics?.state === 'found'),
    SLOW_MS,
  );
}

function markersOf(projectXml: string): Array<{ name: string; timeSec: number }> {
  return [...projectXml.matchAll(/<Marker time="([^"]+)" name="([^"]*)"\/>/g)].map((m) => ({
    name: m[2] ?? '',
    timeSec: Number(m[1]),
  }));
}

describe('lyrics in exports', () => {
  it(
    'a take: .lrc with a line per lyric line, markers in both sessions; a split of it carries the same',
    { timeout: 240_000 },
    async () => {
      live = await startLiveCore({ audioDurationSec: 12 });
      const task = await takeWithLyrics(live);
      const take = task.tracks[0];
      const lyrics = await live.core.handlers['lyrics.get']({ trackId: take?.id ?? '' });
      const expectedMarkers = lyrics.sections.map((s) => ({ name: s.name, timeSec: s.startSec }));
      expect(expectedMarkers.length).toBeGreaterThanOrEqual(2);

      const out = join(live.dataDir, 'out-take');
      const result = await live.core.handlers['export.run']({
        taskId: task.id,
        trackIds: [take?.id ?? ''],
        outDir: out,
        sessions: ['dawproject', 'rpp'],
        mixdown: 'none',
      });
      const lrcFile = result.files.find((f) => f.kind === 'lyrics');
      expect(lrcFile?.name).toBe('Harbor Lights.lrc');
      const lrc = parseLrc(await readFile(join(out, 'Harbor Lights.lrc'), 'utf8'));
      expect(lrc.tags.ti).toBe('Harbor Lights');
      expect(lrc.lines.map((l) => l.text)).toEqual(lyrics.lines.map((l) => l.text));
      lrc.lines.forEach((line, i) => expect(line.timeSec).toBeCloseTo(lyrics.lines[i]?.startSec ?? -1, 2));

      const project = strFromU8(
        unzipSync(await readFile(join(out, 'Harbor Lights.dawproject')))['project.xml'] as Uint8Array,
      );
      expect(markersOf(project)).toEqual(expectedMarkers);
      if (hasXmllint) {
        const lint = validateDawXml(project);
        expect(lint.stderr).toContain('validates');
        expect(lint.status).toBe(0);
      }
      const rpp = await readFile(join(out, 'Harbor Lights.rpp'), 'utf8');
      const rppMarkers = [...rpp.matchAll(/^ {2}MARKER (\d+) (\S+) "([^"]*)" 0$/gm)].map((m) => ({
        name: m[3] ?? '',
        timeSec: Number(m[2]),
      }));
      expect(rppMarkers).toEqual(expectedMarkers);

      const provenance = JSON.parse(await readFile(join(out, 'provenance.json'), 'utf8')) as {
        lyrics: { name: string; takeTrackId: string };
      };
      expect(provenance.lyrics).toMatchObject({ name: 'Harbor Lights.lrc', takeTrackId: take?.id });

      // A split of that take exports the take's lyrics and sections beside its stems.
      const split = await live.core.handlers['tasks.submit']({
        kind: 'separate_vocal',
        from: { taskId: task.id, audioId: take?.audioId ?? '' },
      });
      await live.waitFor(split.id, isSettled, SLOW_MS);
      const splitOut = join(live.dataDir, 'out-split');
      const splitResult = await live.core.handlers['export.run']({
        taskId: split.id,
        outDir: splitOut,
        sessions: ['rpp'],
        mixdown: 'none',
        lrc: true,
      });
      expect(splitResult.files.map((f) => f.kind)).toContain('lyrics');
      const splitRpp = await readFile(join(splitOut, 'Harbor Lights.rpp'), 'utf8');
      expect(splitRpp.match(/^ {2}MARKER /gm)?.length).toBe(expectedMarkers.length);
    },
  );

  it('no lyrics: no .lrc by default, and lrc: true is refused with a plain sentence', async () => {
    live = await startLiveCore({ lyrics: 'empty' });
    const submitted = await submitVocalTake(live, 'Quiet');
    const task = await live.waitFor(
      submitted.id,
      (t) => isSettled(t) && t.tracks.every((tr) => tr.lyrics?.state === 'none'),
    );
    const out = join(live.dataDir, 'out');
    const result = await live.core.handlers['export.run']({
      taskId: task.id,
      outDir: out,
      sessions: ['rpp'],
    });
    expect(result.files.some((f) => f.kind === 'lyrics')).toBe(false);
    expect(await readFile(join(out, 'Quiet.rpp'), 'utf8')).not.toContain('MARKER');
    await expect(
      live.core.handlers['export.run']({ taskId: task.id, outDir: join(live.dataDir, 'o2'), lrc: true }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('no lyrics') });
  });
});
