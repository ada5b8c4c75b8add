// MIDI from a separation on the real core against the KIE simulator over loopback HTTP: every
// stem and one stem, both callback shapes, polling alone, an empty result and a failure; the
// notes that land in the store are the ones the simulator's synthetic stems really play, and they
// come from record-info only (a callback, signed or not, is a claim that asks record-info at once).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { scoreStem } from '../../electron/core/simulator/synth-audio.ts';
import type { SimulatorOptions } from '../../electron/core/simulator/index.ts';
import type { TaskView } from '../../shared/domain.ts';
import { hasXmllint, validateDawXml } from '../helpers/dawproject-schema.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { storeFileIn, withRawConnection } from '../helpers/raw-sql.ts';
import { readSmf } from '../helpers/smf-reader.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

let live: LiveCore | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
});

const DURATION = 4;

async function splitTake(l: LiveCore, isPollingOnly = false): Promise<TaskView> {
  const path = await writeToneMp3(join(l.dataDir, 'vox.mp3'), { seconds: 1 });
  const music = await l.core.handlers['tasks.submit']({
    kind: 'add-instrumental',
    source: { path },
    title: 'Night Drive',
    tags: 'synthwave, 96 bpm',
    negativeTags: 'folk',
  });
  if (isPollingOnly) l.core.reconciler.pollSoon(music.id);
  const take = await l.waitFor(music.id, isSettled);
  const split = await l.core.handlers['tasks.submit']({
    kind: 'split_stem',
    from: { taskId: take.id, audioId: take.tracks[0]?.audioId ?? '' },
  });
  if (isPollingOnly) l.core.reconciler.pollSoon(split.id);
  return l.waitFor(split.id, (t) => t.state === 'complete');
}

async function transcribe(l: LiveCore, split: TaskView, stem?: 'bass', isPollingOnly = false) {
  const midi = await l.core.handlers['tasks.submit']({ kind: 'midi', from: { taskId: split.id, stem } });
  expect(midi).toMatchObject({ kind: 'midi', parentTaskId: split.id, title: 'Night Drive' });
  if (isPollingOnly) l.core.reconciler.pollSoon(midi.id);
  return l.waitFor(midi.id, (t) => t.state === 'complete' || t.state === 'failed');
}

/** The seed the simulator rendered the split from: its source take's. */
function seedOf(l: LiveCore, split: TaskView): number {
  const seed = l.sim.control.tasks().find((t) => t.taskId === split.kieTaskId)?.sourceSeed;
  if (typeof seed !== 'number') throw new Error('the simulator has no seed for this split');
  return seed;
}

/** The task's callbacks were answered and HMAC-verified, yet record-info completed it. */
async function expectConfirmedCallback(l: LiveCore, midi: TaskView) {
  const inbox = await l.core.handlers['callbacks.list']({ taskId: midi.id });
  expect(inbox.map((c) => c.verdict)).toContain('valid');
  expect(midi.stages.find((s) => s.name === 'complete')?.source).toBe('record-info');
}

async function expectNotesOf(l: LiveCore, midi: TaskView, stem: 'bass' | 'drums', split: TaskView) {
  const view = await l.core.handlers['midi.notes']({ taskId: midi.id });
  const lane = view.instruments.find((i) => i.stem === stem);
  expect(lane).toBeDefined();
  const seed = seedOf(l, split);
  const expected = scoreStem(seed, stem, DURATION);
  expect(lane?.notes.map((n) => n.pitch)).toEqual(expected.map((n) => n.pitch));
  lane?.notes.forEach((n, i) => expect(Math.abs(n.start - (expected[i]?.start ?? -1))).toBeLessThan(1e-5));
}

function simWith(midi: Partial<SimulatorOptions['midi']>): Partial<SimulatorOptions> {
  return { audioDurationSec: DURATION, midi: midi as SimulatorOptions['midi'] };
}

describe('MIDI from a separation on the live core', () => {
  it('transcribes every stem by a top-level task_id callback, with the stems their notes', async () => {
    live = await startLiveCore(simWith({ callbackShape: 'top-level', timeFormat: 'mixed' }));
    const split = await splitTake(live);
    const done = await transcribe(live, split);
    expect(done.state).toBe('complete');
    await expectConfirmedCallback(live, done);
    const names = done.midi?.instruments.map((i) => i.name);
    expect(names).toContain('Electric Bass (finger)');
    expect(done.midi?.instruments.find((i) => i.name === 'Drums')).toMatchObject({ stem: 'drums' });
    await expectNotesOf(live, done, 'bass', split);
    await expectNotesOf(live, done, 'drums', split);
  });

  it('transcribes one stem by its originData id, confirming an in-data taskId callback with record-info', async () => {
    live = await startLiveCore(simWith({ callbackShape: 'in-data', timeFormat: 'string' }));
    const split = await splitTake(live);
    const done = await transcribe(live, split, 'bass');
    expect(done.state).toBe('complete');
    // HMAC-verified by the id inside data, and still only a claim: record-info completed the task.
    await expectConfirmedCallback(live, done);
    const bassId = live.core.store.tracks.rowsOf(split.id).find((t) => t.stem === 'bass')?.audio_id;
    expect(bassId).toBeTruthy();
    expect(done.parentAudioId).toBe(bassId);
    expect(done.midi?.instruments).toEqual([expect.objectContaining({ stem: 'bass' })]);
    await expectNotesOf(live, done, 'bass', split);
  });

  it('takes the notes of an unsigned callback only once record-info confirms them', async () => {
    live = await startLiveCore(simWith({}), { hmacKey: null });
    const split = await splitTake(live);
    const done = await transcribe(live, split, 'bass');
    expect(done.state).toBe('complete');
    expect(done.stages.find((s) => s.name === 'complete')?.source).toBe('record-info');
    await expectNotesOf(live, done, 'bass', split);
  });

  it('completes by polling alone when no callback can reach us', async () => {
    live = await startLiveCore(simWith({}), { callbacks: false });
    const split = await splitTake(live, true);
    const done = await transcribe(live, split, undefined, true);
    expect(done.state).toBe('complete');
    expect(done.stages.find((s) => s.name === 'complete')?.source).toBe('record-info');
    await expectNotesOf(live, done, 'bass', split);
  });

  it.each(['empty', 'missing'] as const)(
    'ends with "no notes" (complete, no instruments) when the list is %s',
    async (result) => {
      live = await startLiveCore(simWith({ result }));
      const split = await splitTake(live);
      const done = await transcribe(live, split);
      expect(done).toMatchObject({ state: 'complete', error: null, midi: { instruments: [] } });
    },
  );

  it('ends failed with a plain message when KIE fails the transcription', async () => {
    live = await startLiveCore(simWith({}));
    const split = await splitTake(live);
    live.sim.control.failNextTask({ code: 500, msg: 'Internal Error - Please try again later.' });
    const done = await transcribe(live, split);
    expect(done.state).toBe('failed');
    expect(done.error?.message).toMatch(/KIE had an internal error/);
    expect(done.midi).toBeNull();
    const again = await live.core.handlers['tasks.retry']({ id: done.id });
    expect(again).toMatchObject({ kind: 'midi', parentTaskId: split.id, parentAudioId: null });
    const retried = await live.waitFor(again.id, (t) => t.state === 'complete' || t.state === 'failed');
    expect(retried.state).toBe('complete');
    expect(retried.midi?.instruments.length).toBeGreaterThan(0);
  });

  it("fetches a split's stem ids on demand when the producer refreshes it", async () => {
    live = await startLiveCore(simWith({}));
    const split = await splitTake(live);
    const hasIds = async () =>
      (await live?.core.handlers['tasks.get']({ id: split.id }))?.tracks.every((t) => t.audioId);
    // Completed by record-info, the split has its ids.
    await expect.poll(hasIds, { timeout: 20_000 }).toBe(true);
    // As in a library from before this version, where they never came: forget them, then refresh.
    withRawConnection(storeFileIn(live.dataDir), (db) =>
      db.prepare(`UPDATE tracks SET audio_id = NULL WHERE task_id = ?`).run(split.id),
    );
    expect(await hasIds()).toBe(false);
    await live.core.handlers['tasks.refresh']({ id: split.id });
    expect(await hasIds()).toBe(true);
  });

  it("exports .mid files whose notes are the synthetic stems', and sessions that carry them", async () => {
    live = await startLiveCore(simWith({}));
    const split = await splitTake(live);
    await live.waitFor(split.id, isSettled);
    const done = await transcribe(live, split);
    expect(done.state).toBe('complete');
    // The song's tempo and key (here the producer's correction on the take the split came from) win
    // over the "96 bpm" of the style tags in the MIDI files, the sessions and provenance.
    const parent = await live.core.handlers['tasks.get']({ id: split.parentTaskId ?? '' });
    const take = parent.tracks.find((t) => t.audioId === split.parentAudioId);
    await live.core.handlers['tracks.setAnalysis']({
      trackId: take?.id ?? '',
      bpm: 104,
      key: { tonic: 9, mode: 'minor' },
    });
    const outDir = join(live.dataDir, 'export');
    const result = await live.core.handlers['export.run']({
      taskId: split.id,
      outDir,
      sessions: ['dawproject', 'rpp'],
      midi: true,
    });
    const midiFiles = result.files.filter((f) => f.kind === 'midi');
    expect(midiFiles.map((f) => f.name)).toContain('Night Drive_Bass.mid');
    expect(midiFiles.map((f) => f.name)).toContain('Night Drive_MIDI.mid');
    const bpm = 104; // the corrected tempo: the one the files are written at
    const seed = seedOf(live, split);
    for (const stem of ['bass', 'drums', 'keyboard'] as const) {
      const file = midiFiles.find((f) => f.stem === stem);
      const smf = readSmf(new Uint8Array(await readFile(file?.path ?? '')));
      expect(smf.tracks[0]?.tempos).toEqual([Math.round(60_000_000 / bpm)]);
      const notes = smf.tracks[1]?.notes ?? [];
      const expected = scoreStem(seed, stem, DURATION);
      expect(notes.map((n) => n.pitch)).toEqual(expected.map((n) => n.pitch));
      notes.forEach((n, i) =>
        expect(Math.abs(n.startTick - ((expected[i]?.start ?? NaN) * bpm * 960) / 60)).toBeLessThanOrEqual(1),
      );
    }
    const all = readSmf(new Uint8Array(await readFile(join(outDir, 'Night Drive_MIDI.mid'))));
    expect(all.tracks.length).toBe(midiFiles.length); // tempo track + one per instrument file
    const provenance = JSON.parse(await readFile(join(outDir, 'provenance.json'), 'utf8'));
    expect(provenance.summary.tempoBpm).toBe(104);
    expect(provenance.summary.tempo).toMatchObject({ bpm: 104, source: 'correction', isCorrected: true });
    expect(provenance.summary.key).toMatchObject({
      name: 'A minor',
      source: 'correction',
      isCorrected: true,
    });
    expect(provenance.midi.every((m: { tempoBpm: number }) => m.tempoBpm === 104)).toBe(true);
    expect(provenance.midi.map((m: { name: string }) => m.name)).toEqual(midiFiles.map((f) => f.name));

    const dawproject = result.files.find((f) => f.name.endsWith('.dawproject'));
    const project = strFromU8(unzipSync(await readFile(dawproject?.path ?? ''))['project.xml'] as Uint8Array);
    expect(project).toContain('<Tempo unit="bpm" value="104"');
    const bassTrackId = /<Track contentType="notes"[^>]*id="([^"]+)"[^>]*name="Bass MIDI/.exec(project)?.[1];
    const bassLane = project.slice(project.indexOf(`<Lanes track="${bassTrackId}"`));
    const keys = [...bassLane.slice(0, bassLane.indexOf('</Lanes>')).matchAll(/<Note [^>]*key="(\d+)"/g)];
    expect(keys.map((m) => Number(m[1]))).toEqual(scoreStem(seed, 'bass', DURATION).map((n) => n.pitch));
    if (hasXmllint) expect(validateDawXml(project).status).toBe(0);
    const rpp = await readFile(result.files.find((f) => f.name.endsWith('.rpp'))?.path ?? '', 'utf8');
    expect(rpp).toContain('TEMPO 104 4 4');
    const referenced = [...rpp.matchAll(/<SOURCE MIDI\n\s+FILE "([^"]+)"/g)].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(0);
    for (const name of referenced) expect(existsSync(join(outDir, name ?? ''))).toBe(true);
  });

  it('refuses MIDI of anything but a finished separation, plainly, before KIE is asked', async () => {
    live = await startLiveCore(simWith({}));
    const path = await writeToneMp3(join(live.dataDir, 'vox.mp3'), { seconds: 1 });
    const music = await live.core.handlers['tasks.submit']({
      kind: 'add-instrumental',
      source: { path },
      title: 'Not A Split',
      tags: 'pop',
      negativeTags: '',
    });
    const before = live.sim.control.tasks().length;
    await expect(
      live.core.handlers['tasks.submit']({ kind: 'midi', from: { taskId: music.id } }),
    ).rejects.toThrow(/Only a finished separation can be transcribed to MIDI/);
    expect(live.sim.control.tasks()).toHaveLength(before);
    // The simulator refuses the same like KIE would (422 naming the field).
    const asKie = async (body: Record<string, unknown>) => {
      const response = await fetch(`${live?.sim.apiUrl}/api/v1/midi/generate`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${live?.sim.control.options().apiKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ callBackUrl: 'https://example.com/cb', ...body }),
      });
      return (await response.json()) as { code: number; msg: string };
    };
    expect(await asKie({ taskId: music.kieTaskId })).toMatchObject({
      code: 422,
      msg: expect.stringMatching(/taskId/),
    });
    expect(await asKie({})).toMatchObject({ code: 422, msg: expect.stringMatching(/taskId/) });
  });
});
