// Pure renderer logic under Node: the submit form against KIE's limits, the studio's mix model and
// lanes, waveform padding, link expiry, lineage, callbacks, settings patches and the viewport.
import { describe, expect, it } from 'vitest';
import type { CallbackView, SettingsView } from '../../shared/api.ts';
import type { TaskView, TrackView } from '../../shared/domain.ts';
import { padPeaks, peaksFromChannels, interleaveInt16 } from '../../renderer/src/audio/peaks-math.ts';
import { linkExpiry, LINK_LIFETIME_MS, formatClock, formatAge } from '../../renderer/src/common/format.ts';
import { effectText, matches, summarize } from '../../renderer/src/inspector/callback-model.ts';
import { buildLineage } from '../../renderer/src/library/lineage.ts';
import { buildPatch, draftFrom, validatePublicUrl } from '../../renderer/src/settings/settings-model.ts';
import { laneHeight, peakPixels } from '../../renderer/src/studio/lane-layout.ts';
import { buildLanes, streamPreviewUrl } from '../../renderer/src/studio/lanes.ts';
import { dbToGain, effectiveMix, initialStudio, studioReducer } from '../../renderer/src/studio/mix-model.ts';
import { createViewport } from '../../renderer/src/studio/viewport.ts';
import { costText } from '../../renderer/src/submit/costs.ts';
import {
  defaultValues,
  isAudioFile,
  toSubmitInput,
  validateForm,
  withOperation,
} from '../../renderer/src/submit/form-model.ts';

function track(fields: Partial<TrackView>): TrackView {
  return {
    id: 'track',
    audioId: null,
    stem: 'take',
    title: null,
    state: 'ready',
    localPath: null,
    durationSec: 3,
    sampleRate: 44100,
    channels: 2,
    sampleCount: 132300,
    isNearSilent: false,
    remoteUrl: null,
    streamUrl: null,
    error: null,
    ...fields,
  };
}

function task(fields: Partial<TaskView>): TaskView {
  return {
    id: 'task',
    kieTaskId: 'kie',
    kind: 'add-instrumental',
    state: 'complete',
    midi: null,
    title: 'Harbor Lights',
    sourceName: 'vocal.wav',
    parentTaskId: null,
    parentAudioId: null,
    createdAt: 1000,
    updatedAt: 1000,
    stages: [{ name: 'submitted', at: 1000, source: 'submit' }],
    error: null,
    tracks: [],
    ...fields,
  };
}

describe('submit form', () => {
  it('starts from the file name and flags KIE limits per field', () => {
    const values = defaultValues('my_vocal take.WAV');
    expect(values.title).toBe('my vocal take');
    expect(validateForm(values).tags).toMatch(/Style tags cannot be empty/);
    const long = { ...values, tags: 'pop', title: 'x'.repeat(101), negativeTags: 'y'.repeat(201) };
    const errors = validateForm(long);
    expect(errors.title).toMatch(/too long: 101 characters, the limit is 100/);
    expect(errors.negativeTags).toMatch(/limit is 200/);
    expect(
      validateForm({
        ...values,
        tags: 'pop',
        weights: { styleWeight: 0.555, weirdnessConstraint: null, audioWeight: null },
      }).styleWeight,
    ).toMatch(/two decimals/);
  });

  it('asks add-vocals for lyrics and style, and drops a model it does not offer', () => {
    const values = withOperation({ ...defaultValues('beat.mp3'), model: 'V5_5' }, 'add-vocals');
    expect(values.model).toBe('V4_5PLUS');
    const errors = validateForm(values);
    expect(errors.prompt).toMatch(/cannot be empty/);
    expect(errors.style).toMatch(/cannot be empty/);
  });

  it('maps to the contract, leaving "auto" weights and "any" gender out', () => {
    const values = {
      ...defaultValues('v.wav'),
      tags: 'folk',
      weights: { styleWeight: 0.65, weirdnessConstraint: null, audioWeight: null },
    };
    expect(toSubmitInput(values, { fileId: 'f' })).toEqual({
      kind: 'add-instrumental',
      source: { fileId: 'f' },
      tags: 'folk',
      title: 'v',
      negativeTags: '',
      model: 'V4_5PLUS',
      styleWeight: 0.65,
    });
    expect(
      toSubmitInput({ ...values, operation: 'separate', separationType: 'separate_vocal' }, { fileId: 'f' }),
    ).toEqual({ kind: 'separate_vocal', source: { fileId: 'f' } });
    expect(isAudioFile({ name: 'a.aiff', type: '' })).toBe(true);
    expect(isAudioFile({ name: 'notes.txt', type: 'text/plain' })).toBe(false);
  });

  it('shows the cost against the balance', () => {
    expect(costText('split_stem', 40)).toEqual({ text: 'About 50 credits · balance 40 → 0', isShort: true });
    expect(costText('add-vocals', 100).isShort).toBe(false);
  });
});

describe('studio model', () => {
  it('keeps per-lane settings across lane changes and applies A/B on top of solo/mute', () => {
    let state = studioReducer(initialStudio(), { type: 'sync', ids: ['src', 'a', 'b'] });
    state = studioReducer(state, { type: 'toggle', id: 'a', what: 'isSoloed' });
    state = studioReducer(state, { type: 'lane', id: 'b', patch: { gainDb: -6 } });
    state = studioReducer(state, { type: 'sync', ids: ['src', 'a', 'b', 'c'] });
    expect(state.order).toEqual(['src', 'a', 'b', 'c']);
    expect(state.lanes.a?.isSoloed).toBe(true);
    const lanes = buildLanes(
      task({ tracks: [track({ id: 'a' }), track({ id: 'b' }), track({ id: 'c' })] }),
      null,
    ).map((l, i) => ({ ...l, id: ['src', 'a', 'b', 'c'][i] ?? l.id }));
    expect(effectiveMix(state, lanes).get('b')?.gain).toBeCloseTo(dbToGain(-6), 9);
    const a = effectiveMix({ ...state, ab: 'a' }, lanes);
    expect([...a.values()].map((m) => m.isMuted)).toEqual([false, true, true, true]);
    expect(effectiveMix({ ...state, ab: 'b' }, lanes).get('src')?.isMuted).toBe(true);
    expect(dbToGain(-60)).toBe(0);
  });

  it('moves lanes, selects with arrows, orders loop ends and clamps zoom', () => {
    let state = studioReducer(initialStudio(), { type: 'sync', ids: ['a', 'b', 'c'] });
    state = studioReducer(state, { type: 'move', id: 'c', before: 'a' });
    expect(state.order).toEqual(['c', 'a', 'b']);
    state = studioReducer(state, { type: 'selectNext', step: 1 });
    expect(state.selectedId).toBe('b');
    state = studioReducer(state, { type: 'loop', patch: { start: 5, end: 2, isOn: true } });
    expect(state.loop).toEqual({ isOn: true, start: 2, end: 5 });
    state = studioReducer(state, { type: 'zoom', step: -1 });
    expect(state.zoom).toBe(0);
  });

  it('opens a split with the take it came from as the 13th lane', () => {
    const stems = [
      'vocals',
      'backing_vocals',
      'drums',
      'bass',
      'guitar',
      'keyboard',
      'percussion',
      'strings',
      'synth',
      'fx',
      'brass',
      'woodwinds',
    ] as const;
    const parent = task({
      id: 'p',
      tracks: [track({ id: 't1', audioId: 'A1' }), track({ id: 't2', audioId: 'A2' })],
    });
    const split = task({
      id: 's',
      kind: 'split_stem',
      sourceName: null,
      parentTaskId: 'p',
      parentAudioId: 'A2',
      tracks: stems.map((stem) => track({ id: stem, stem })),
    });
    const lanes = buildLanes(split, parent);
    expect(lanes).toHaveLength(13);
    expect(lanes[0]).toMatchObject({ id: 't2', name: 'Take 2', isSource: true, kind: 'source-track' });
    expect(lanes[3]?.name).toBe('Drums');
    expect(buildLanes(task({ tracks: [track({})] }), null)[0]).toMatchObject({
      kind: 'source-file',
      name: 'vocal.wav',
      isSource: true,
    });
  });

  it('pads peaks so lanes of different lengths share the timeline, and builds peaks and int16 from floats', () => {
    expect(padPeaks([[0.5, -0.5]], 2, 4)).toEqual([[0.5, -0.5, 0, 0]]);
    expect(padPeaks([[1]], 4, 2)).toEqual([[1]]);
    expect(peaksFromChannels([Float32Array.from([0.1, -0.9, 0.2, 0.3])], 2)).toEqual([
      [expect.closeTo(-0.9, 6), expect.closeTo(0.3, 6)],
    ]);
    expect([...interleaveInt16([Float32Array.from([1, -1]), Float32Array.from([0.5, 0])])]).toEqual([
      32767, 16384, -32768, 0,
    ]);
  });

  it('fits 13 lanes on a 1280x800 screen and asks for peaks by powers of two', () => {
    expect(laneHeight(13, 560)).toBe(41);
    expect(laneHeight(2, 560)).toBe(112);
    expect(laneHeight(13, 200)).toBe(40);
    expect(peakPixels(240, 4)).toBe(1024);
    expect(peakPixels(240, 640)).toBe(65536);
    expect(peakPixels(3, 300)).toBe(1024);
  });

  it('maps time to pixels the same way for every lane, fitting or zoomed', () => {
    const viewport = createViewport();
    viewport.set({ total: 10, width: 500 });
    expect(viewport.pxPerSec()).toBe(50);
    viewport.set({ zoomPx: 100, scrollLeft: 5000 });
    expect(viewport.get().scrollLeft).toBe(500);
    expect(viewport.timeAt(0)).toBe(5);
    expect(viewport.xAt(6)).toBe(100);
  });
});

describe('stream preview', () => {
  it('offers the https stream only while the take is not downloaded', () => {
    const lane = (fields: Partial<TrackView>) => buildLanes(task({ tracks: [track(fields)] }), null).at(-1)!;
    const stream = 'https://cdn.example/stream/abc';
    expect(streamPreviewUrl(lane({ state: 'remote', streamUrl: stream }))).toBe(stream);
    expect(streamPreviewUrl(lane({ state: 'downloading', streamUrl: stream }))).toBe(stream);
    expect(streamPreviewUrl(lane({ state: 'ready', streamUrl: stream }))).toBeNull();
    expect(streamPreviewUrl(lane({ state: 'remote', streamUrl: 'http://127.0.0.1:9/stream' }))).toBeNull();
    expect(streamPreviewUrl(lane({ state: 'remote', streamUrl: null }))).toBeNull();
  });
});

describe('library and inspector text', () => {
  it('says how long KIE keeps the links, and that downloaded tasks no longer depend on them', () => {
    const done = task({
      stages: [
        { name: 'submitted', at: 0, source: 'submit' },
        { name: 'complete', at: 1000, source: 'callback' },
      ],
      tracks: [track({ state: 'downloading' })],
    });
    expect(linkExpiry(done, 1000 + 3 * 24 * 3600 * 1000).text).toBe('links expire in 11 d');
    expect(linkExpiry(done, 1000 + LINK_LIFETIME_MS + 1)).toEqual({ text: 'links expired', tone: 'bad' });
    expect(linkExpiry({ ...done, tracks: [track({})] }, 0).text).toBe('saved locally');
    expect(formatClock(61.5, true)).toBe('1:01.500');
    expect(formatAge(0, 5 * 60_000)).toBe('5 min ago');
  });

  it('draws lineage from the source file through the task and its takes to their splits', () => {
    const parent = task({ id: 'p', tracks: [track({ id: 't1', audioId: 'A1' })] });
    const split = task({
      id: 's',
      kind: 'split_stem',
      title: 'Harbor Lights',
      sourceName: null,
      parentTaskId: 'p',
      parentAudioId: 'A1',
      tracks: [track({ stem: 'drums' }), track({ stem: 'bass' })],
    });
    const tree = buildLineage(split, parent, (id) => (id === 'p' ? [split] : []));
    expect(tree).toMatchObject({ kind: 'source', label: 'vocal.wav' });
    const take = tree.children[0]?.children[0];
    expect(take).toMatchObject({ kind: 'take', label: 'Take 1' });
    expect(take?.children[0]).toMatchObject({ kind: 'task', isCurrent: true });
    expect(take?.children[0]?.children[0]).toMatchObject({
      kind: 'stems',
      label: '2 stems',
      detail: 'Drums, Bass',
    });
  });

  it('summarizes and filters callbacks', () => {
    const callback: CallbackView = {
      id: 3,
      receivedAt: 0,
      headers: {},
      body: JSON.stringify({ code: 200, msg: 'ok', data: { callbackType: 'first', task_id: 'K1' } }),
      isTruncated: false,
      verdict: 'valid',
      kieTaskId: 'K1',
      taskId: 't',
      isDuplicate: false,
      effect: {
        from: 'text',
        to: 'first',
        note: null,
        tracksAdded: 1,
        downloadsQueued: 1,
        needsVerification: false,
      },
      httpStatus: 200,
      replayOf: null,
    };
    expect(summarize(callback)).toEqual({ stage: 'first', code: 200, message: 'ok' });
    expect(effectText(callback)).toBe('text → first · 1 tracks announced · 1 downloads queued');
    expect(effectText({ ...callback, isDuplicate: true })).toBe('duplicate, nothing changed');
    expect(matches(callback, { verdict: 'valid', stage: 'first', text: 'k1' })).toBe(true);
    expect(matches(callback, { verdict: 'invalid', stage: '', text: '' })).toBe(false);
  });

  it('turns the settings form into a minimal patch; secrets only when typed', () => {
    const settings: SettingsView = {
      mode: 'demo',
      libraryDir: '/lib',
      secrets: { apiKey: false, hmacKey: true, ngrokAuthtoken: false },
      isSecretStorageEncrypted: true,
      secretStorageProblem: null,
      ngrokDomain: null,
      publicUrl: null,
      preferences: {},
    };
    const draft = draftFrom(settings);
    expect(buildPatch(draft, settings)).toEqual({});
    expect(
      buildPatch(
        {
          ...draft,
          apiKey: 'k',
          hmacKey: null,
          publicUrl: ' https://x.example ',
          preferences: { ...draft.preferences, 'export.format': 'wav16' },
        },
        settings,
      ),
    ).toEqual({
      apiKey: 'k',
      hmacKey: null,
      publicUrl: 'https://x.example',
      preferences: { 'export.format': 'wav16' },
    });
    expect(validatePublicUrl('http://x')).toMatch(/https/);
    expect(validatePublicUrl('')).toBeNull();
  });
});
