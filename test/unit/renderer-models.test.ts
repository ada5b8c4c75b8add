// Pure renderer logic under Node: the submit form against KIE's limits, the studio's mix model and
// lanes, waveform padding, link expiry, lineage, callbacks, settings patches and the viewport.
import { describe, expect, it } from 'vitest';
import type { CallbackView, SettingsView } from '../../shared/api.ts';
import type { TaskView, TrackDownload, TrackView } from '../../shared/domain.ts';
import { padPeaks, peakMax, toLanePeaks } from '../../renderer/src/audio/peaks-math.ts';
import { choicesFrom, toExportOptions } from '../../renderer/src/studio/export-model.ts';
import { linkExpiry, LINK_LIFETIME_MS, formatClock, formatAge } from '../../renderer/src/common/format.ts';
import { effectText, isConflict, matches, summarize } from '../../renderer/src/inspector/callback-model.ts';
import { buildLineage } from '../../renderer/src/library/lineage.ts';
import {
  buildPatch,
  draftFrom,
  validateNgrokAuthtoken,
  validatePublicUrl,
} from '../../renderer/src/settings/settings-model.ts';
import { errorParts } from '../../renderer/src/submit/error-text.ts';
import { userMessageFor } from '../../shared/kie/errors.ts';
import { laneHeight, peakPixels } from '../../renderer/src/studio/lane-layout.ts';
import {
  buildLanes,
  isPlayable,
  laneStatusText,
  NO_DERIVED,
  streamPreviewUrl,
} from '../../renderer/src/studio/lanes.ts';
import {
  audibleLanes,
  dbToGain,
  effectiveMix,
  initialStudio,
  studioReducer,
} from '../../renderer/src/studio/mix-model.ts';
import { createViewport } from '../../renderer/src/studio/viewport.ts';
import { loopPointAt } from '../../renderer/src/studio/use-studio-keys.ts';
import { costText } from '../../renderer/src/submit/costs.ts';
import {
  defaultValues,
  isAudioFile,
  toSubmitInput,
  validateForm,
  withOperation,
} from '../../renderer/src/submit/form-model.ts';
import { makeTaskView, makeTrackView } from '../helpers/task.ts';

function track(fields: Partial<TrackView>): TrackView {
  return makeTrackView({ durationSec: 3, sampleRate: 44100, channels: 2, sampleCount: 132300, ...fields });
}

function task(fields: Partial<TaskView>): TaskView {
  return makeTaskView({
    sourceName: 'vocal.wav',
    stages: [{ name: 'submitted', at: 1000, source: 'submit' }],
    ...fields,
  });
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
    expect(costText('split_stem', 40)).toEqual({
      text: 'Needs 50 credits, you have 40 — top up at kie.ai',
      isShort: true,
    });
    expect(costText('add-vocals', 5)).toEqual({
      text: 'Needs 12 credits, you have 5 — top up at kie.ai',
      isShort: true,
    });
    expect(costText('add-vocals', 12)).toEqual({ text: 'About 12 credits · balance 12 → 0', isShort: false });
    expect(costText('add-vocals', 100).isShort).toBe(false);
  });
});

describe('key and tunnel problems (issue 11 §6)', () => {
  it('says a rejected API key once: the first sentence is the headline, the rest the detail', () => {
    const message = userMessageFor('auth');
    const { headline, detail } = errorParts({ code: 'auth', message });
    expect(`${headline} ${detail}`).toBe(message);
    expect(headline).toMatch(/API key/);
    expect(detail).not.toMatch(/rejected|did not accept/);
    // A one-sentence message keeps the code's headline in front of it.
    expect(errorParts({ code: 'offline', message: 'No answer from the host' })).toEqual({
      headline: 'Stemhook is not reachable.',
      detail: 'No answer from the host',
    });
  });

  it('does not take an ngrok tunnel without an authtoken in silence', () => {
    expect(validateNgrokAuthtoken('')).toMatch(/Paste your ngrok authtoken.*No public address/);
    expect(validateNgrokAuthtoken('   ')).toMatch(/Paste your ngrok authtoken/);
    expect(validateNgrokAuthtoken('2abc def')).toMatch(/no spaces/);
    expect(validateNgrokAuthtoken(' 2abcDEF_ghi ')).toBeNull();
  });
});

describe('loop points from the keyboard', () => {
  it('puts one end at the playhead and moves the other to the edge when they would cross', () => {
    const none = { isOn: false, start: 0, end: 0 };
    const started = loopPointAt(none, 'start', 10, 240);
    expect(started).toEqual({ isOn: true, start: 10, end: 240 });
    expect(loopPointAt(started, 'end', 20, 240)).toEqual({ isOn: true, start: 10, end: 20 });
    expect(loopPointAt({ isOn: true, start: 10, end: 20 }, 'start', 30, 240)).toEqual({
      isOn: true,
      start: 30,
      end: 240,
    });
    expect(loopPointAt({ isOn: true, start: 10, end: 20 }, 'end', 5, 240)).toEqual({
      isOn: true,
      start: 0,
      end: 5,
    });
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
    // "Mix" (the default) is what the mixdown export writes: the results, never the source.
    expect(effectiveMix(state, lanes).get('src')?.isMuted).toBe(true);
    expect([...audibleLanes(effectiveMix(state, lanes))]).toEqual(['a']);
    expect([...audibleLanes(a)]).toEqual(['src']);
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
    expect(lanes).toHaveLength(14);
    expect(lanes[0]).toMatchObject({ id: 't2', name: 'Take 2', isSource: true, kind: 'source-track' });
    expect(lanes[3]?.name).toBe('Drums');
    // The residual waits for the core, then plays from its derived track like a stem.
    expect(lanes[13]).toMatchObject({ kind: 'residual', state: 'downloading', note: 'Computing residual…' });
    expect(isPlayable(lanes[13]!)).toBe(false);
    const residual = {
      taskId: 's',
      trackId: 'residual-s',
      sampleRate: 44100,
      channels: 2,
      sampleCount: 441000,
      durationSec: 10,
      offsetFrames: 0,
      offsetMs: 0,
      levelDb: -31,
      leaks: [],
      computeMs: 5,
    };
    const computed = buildLanes(split, parent, { ...NO_DERIVED, residual: { data: residual, error: null } });
    expect(computed[13]).toMatchObject({ trackId: 'residual-s', state: 'ready', note: null, residual });
    expect(isPlayable(computed[13]!)).toBe(true);
    const studio = studioReducer(initialStudio(), { type: 'sync', ids: computed.map((l) => l.id) });
    const result = effectiveMix({ ...studio, ab: 'b' }, computed);
    expect(result.get(computed[13]!.id)?.isMuted).toBe(true);
    expect(result.get(computed[3]!.id)?.isMuted).toBe(false);
    expect(buildLanes({ ...split, state: 'first' }, parent)).toHaveLength(13);
    // Exported only when asked for and computed; never as one of the stems.
    const choices = { ...choicesFrom({}), includeResidual: true };
    const options = toExportOptions(choices, 's', computed, initialStudio(), 'x');
    expect(options.includeResidual).toBe(true);
    expect(options.mix?.map((m) => m.trackId)).not.toContain('residual-s');
    expect(toExportOptions(choices, 's', lanes, initialStudio(), 'x').includeResidual).toBeUndefined();
  });

  it('opens a task made from a file with its source decoded by the core, or says why not', () => {
    const upload = task({ tracks: [track({})] });
    expect(buildLanes(upload, null)[0]).toMatchObject({
      kind: 'source-file',
      name: 'vocal.wav',
      isSource: true,
      note: 'Decoding source…',
    });
    const refused = 'This source is M4A, which Stemhook cannot decode yet';
    const source = {
      trackId: 'source-x',
      sampleRate: 48000,
      channels: 1,
      sampleCount: 48000,
      durationSec: 1,
    };
    expect(
      buildLanes(upload, null, { ...NO_DERIVED, source: { data: undefined, error: refused } })[0],
    ).toMatchObject({
      state: 'error',
      note: refused,
    });
    expect(
      buildLanes(upload, null, { ...NO_DERIVED, source: { data: source, error: null } })[0],
    ).toMatchObject({
      trackId: 'source-x',
      frames: 48000,
      channels: 1,
      state: 'ready',
    });
  });

  it('pads peaks so lanes of different lengths share the timeline', () => {
    expect(padPeaks([Float32Array.of(0.5, -0.5)], 2, 4)).toEqual([Float32Array.of(0.5, -0.5, 0, 0)]);
    expect(padPeaks([Float32Array.of(1)], 4, 2)).toEqual([Float32Array.of(1)]);
  });

  it('keeps stored peaks as Float32Arrays with the seconds they cover, and finds their largest magnitude', () => {
    const lane = toLanePeaks({
      trackId: 't',
      sampleRate: 48000,
      channels: 2,
      sampleCount: 96000,
      samplesPerPeak: 48000,
      peaks: [
        [0.25, -0.5],
        [-0.75, 0.125],
      ],
    });
    expect(lane.duration).toBe(2);
    expect(lane.peaks).toEqual([Float32Array.of(0.25, -0.5), Float32Array.of(-0.75, 0.125)]);
    expect(peakMax(lane.peaks)).toBe(0.75);
    expect(peakMax([new Float32Array(3)])).toBe(0);
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
    // Loopback http is the demo simulator's stream (the CSP admits that origin in demo mode only).
    const demo = 'http://127.0.0.1:9/files/stream/a.mp3';
    expect(streamPreviewUrl(lane({ state: 'remote', streamUrl: demo }))).toBe(demo);
    expect(streamPreviewUrl(lane({ state: 'remote', streamUrl: 'http://cdn.example/stream' }))).toBeNull();
    expect(streamPreviewUrl(lane({ state: 'remote', streamUrl: null }))).toBeNull();
  });

  it('says where a lane without audio stands, never "Waiting for KIE" once KIE delivered', () => {
    const lane = (fields: Partial<TrackView>) => buildLanes(task({ tracks: [track(fields)] }), null).at(-1)!;
    const download = (patch: Partial<TrackDownload>): TrackDownload => ({
      phase: 'queued',
      place: 3,
      waiting: 12,
      bytesDone: 0,
      bytesTotal: null,
      ...patch,
    });
    expect(laneStatusText(lane({ state: 'remote', download: download({}) }))).toBe(
      'Queued for download (3 of 12)',
    );
    const running = download({
      phase: 'downloading',
      place: null,
      waiting: null,
      bytesDone: 45,
      bytesTotal: 100,
    });
    expect(laneStatusText(lane({ state: 'downloading', download: running }))).toBe('Downloading 45 %');
    expect(laneStatusText(lane({ state: 'downloading', download: { ...running, bytesTotal: null } }))).toBe(
      'Downloading 0.0 MB',
    );
    expect(laneStatusText(lane({ state: 'downloading', download: download({ phase: 'decoding' }) }))).toBe(
      'Decoding',
    );
    expect(laneStatusText(lane({ state: 'remote', streamUrl: null }))).toBe('Waiting for KIE…');
    expect(laneStatusText(lane({ state: 'ready' }))).toBeNull();
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
    expect(isConflict(callback)).toBe(false);
    expect(isConflict({ ...callback, effect: { isConflict: true, note: 'kept as a conflict' } })).toBe(true);
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
