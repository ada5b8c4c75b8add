// Callback normalisation: every documented variant (from the docs' own JSON) and the malformed ones.
import { describe, expect, it } from 'vitest';
import { callbackTaskId, parseCallback, type ParsedCallback } from '../../shared/kie/callbacks.ts';
import { describeTaskFailure } from '../../shared/kie/failure-messages.ts';
import { stemForGroupName, stemForUrlKey } from '../../shared/kie/stems.ts';
import type { AnnouncedTrack, KieEvent } from '../../shared/kie/tracks.ts';
import { SEPARATE_VOCAL_STEMS, SPLIT_STEMS } from '../../shared/domain.ts';
import * as F from '../fixtures/kie-callbacks.ts';

function parsed(body: unknown): ParsedCallback {
  const result = parseCallback(body);
  if (!result.ok) throw new Error(`expected a parse, got: ${result.reason}`);
  return result.value;
}

function tracksOf(event: KieEvent): AnnouncedTrack[] {
  if (event.kind !== 'progress') throw new Error(`expected progress, got ${event.kind}`);
  return event.tracks;
}

function failureOf(event: KieEvent): { code: number | null; message: string } {
  if (event.kind !== 'failure') throw new Error(`expected failure, got ${event.kind}`);
  return event;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('music callbacks', () => {
  it('text stage: no tracks', () => {
    for (const body of [F.ADD_INSTRUMENTAL_TEXT, F.MUSIC_TEXT]) {
      const value = parsed(body);
      expect(value.family).toBe('music');
      expect(value.kieTaskId).toBe(body.data.task_id);
      expect(value.event).toEqual({ kind: 'progress', stage: 'text', tracks: [] });
    }
  });

  it('first stage: the first take with its metadata', () => {
    const value = parsed(F.ADD_INSTRUMENTAL_FIRST);
    expect(value.event).toMatchObject({ kind: 'progress', stage: 'first' });
    expect(tracksOf(value.event)).toEqual([
      {
        key: F.SEED_AUDIO_ID,
        audioId: F.SEED_AUDIO_ID,
        stem: 'take',
        title: 'Iron Man',
        url: 'https://example.cn/****.mp3',
        streamUrl: 'https://example.cn/****',
        imageUrl: 'https://example.cn/****.jpeg',
        durationSec: 198.44,
        tags: 'electrifying, rock',
        prompt: '[Verse] Night city lights shining bright',
        modelName: 'chirp-v4-5',
      },
    ]);
  });

  it('first stage whose audio_url is still empty announces the take without a URL', () => {
    const body = clone(F.MUSIC_COMPLETE);
    body.data.callbackType = 'first';
    const item = body.data.data?.[0];
    if (item) item.audio_url = '';
    const [track] = tracksOf(parsed(body).event);
    expect(track?.url).toBe('https://cdn.example/0b8e1c52.mp3');
    const noSource = clone(body);
    const bare = noSource.data.data?.[0];
    if (bare) delete bare.source_audio_url;
    expect(tracksOf(parsed(noSource).event)[0]?.url).toBeNull();
    expect(tracksOf(parsed(noSource).event)[0]?.streamUrl).toBe('https://stream.example/0b8e1c52');
  });

  it('complete with a string createTime and with an epoch createTime parse alike', () => {
    const a = parsed(F.MUSIC_COMPLETE);
    const b = parsed(F.MUSIC_COMPLETE_EPOCH);
    expect(a.event).toMatchObject({ kind: 'progress', stage: 'complete' });
    expect(b.event).toEqual(a.event);
    expect(tracksOf(a.event)[0]).toMatchObject({
      key: F.MUSIC_AUDIO_ID,
      url: 'https://file.example/0b8e1c52.mp3',
      durationSec: 187.36,
      title: 'Harbor Lights (band version)',
    });
  });

  it('complete from every seed page (add-instrumental, add-vocals without tags)', () => {
    expect(tracksOf(parsed(F.ADD_INSTRUMENTAL_COMPLETE).event)).toHaveLength(1);
    const [take] = tracksOf(parsed(F.ADD_VOCALS_COMPLETE).event);
    expect(take).toMatchObject({ audioId: F.SEED_AUDIO_ID, tags: null, url: 'https://example.cn/****.mp3' });
  });

  it('two takes stay two tracks keyed by audio id', () => {
    const body = clone(F.MUSIC_COMPLETE);
    const first = body.data.data?.[0];
    if (first) body.data.data?.push({ ...first, id: 'second-take', audio_url: 'https://file.example/b.mp3' });
    expect(tracksOf(parsed(body).event).map((t) => t.key)).toEqual([F.MUSIC_AUDIO_ID, 'second-take']);
  });

  it('items without an id are dropped', () => {
    const body = clone(F.MUSIC_COMPLETE);
    body.data.data?.push({ ...(body.data.data?.[0] as F.MusicCallbackItem), id: '' });
    expect(tracksOf(parsed(body).event)).toHaveLength(1);
  });
});

describe('music failures', () => {
  it('shape with an error field: code kept, KIE text quoted after our explanation', () => {
    const failure = failureOf(parsed(F.MUSIC_FAILURE_WITH_ERROR).event);
    expect(failure.code).toBe(501);
    expect(failure.message).toContain('KIE failed to generate audio');
    expect(failure.message).toContain('Generation failed due to technical issues');
  });

  it('shape with data null falls back to msg', () => {
    const value = parsed(F.MUSIC_FAILURE_DATA_NULL);
    expect(value.family).toBe('music');
    const failure = failureOf(value.event);
    expect(failure.code).toBe(400);
    expect(failure.message).toContain('copyrighted');
    expect(failure.message).toContain('Instrumental generation failed');
    expect(failureOf(parsed(F.ADD_INSTRUMENTAL_FAILURE).event).code).toBe(501);
  });

  it.each([
    [400, /copyrighted/],
    [408, /timed out/],
    [413, /matches an existing copyrighted work/],
    [451, /could not download the input file/],
    [500, /internal error/],
    [501, /failed to generate audio/],
    [531, /refunded the credits/],
  ])('code %i has a plain-words explanation', (code, pattern) => {
    const body = { ...clone(F.MUSIC_FAILURE_DATA_NULL), code, msg: 'raw KIE text' };
    const failure = failureOf(parsed(body).event);
    expect(failure.code).toBe(code);
    expect(failure.message).toMatch(pattern);
    expect(failure.message).toContain('(KIE said: raw KIE text)');
  });

  it('an unknown code keeps the KIE text; no text at all still gives a message', () => {
    const body = { ...clone(F.MUSIC_FAILURE_DATA_NULL), code: 599, msg: 'Something odd' };
    expect(failureOf(parsed(body).event).message).toBe('Something odd');
    expect(describeTaskFailure(null, null)).toMatch(/without a message/);
    expect(describeTaskFailure(531, null)).toMatch(/refunded/);
  });

  it('callbackType error or failed with code 200 is still a failure', () => {
    for (const callbackType of ['error', 'failed'] as const) {
      const body = clone(F.MUSIC_FAILURE_WITH_ERROR);
      body.code = 200;
      body.data.callbackType = callbackType;
      const failure = failureOf(parsed(body).event);
      expect(failure.message).toBe('Generation failed due to technical issues');
    }
  });
});

describe('separation callbacks', () => {
  it('separate_vocal (seed): vocals + instrumental, origin_url ignored', () => {
    const value = parsed(F.SEPARATE_VOCAL_SUCCESS);
    expect(value).toMatchObject({ kieTaskId: F.SEPARATE_VOCAL_TASK_ID, family: 'separation' });
    expect(value.event).toMatchObject({ kind: 'progress', stage: 'complete' });
    const tracks = tracksOf(value.event);
    expect(tracks.map((t) => t.stem).sort()).toEqual([...SEPARATE_VOCAL_STEMS].sort());
    expect(tracks.find((t) => t.stem === 'vocals')).toMatchObject({
      key: 'vocals',
      url: 'https://file.aiquickdraw.com/s/3d7021c9-fa8b-4eda-91d1-3b9297ddb172_Vocals.mp3',
    });
  });

  it('the three key shapes give the same tracks', () => {
    const a = tracksOf(parsed(F.SEPARATE_VOCAL_KIE_API).event);
    const b = tracksOf(parsed(F.SEPARATE_VOCAL_REMOVAL_INFO).event);
    const c = tracksOf(parsed(F.SEPARATE_VOCAL_RESPONSE_CAMEL).event);
    const byStem = (tracks: AnnouncedTrack[]) => [...tracks].sort((x, y) => x.stem.localeCompare(y.stem));
    expect(a).toHaveLength(2);
    expect(byStem(b)).toEqual(byStem(a));
    expect(byStem(c)).toEqual(byStem(a));
  });

  it('split_stem: all 12 stems with the right URLs, no instrumental, origin_url ignored', () => {
    const tracks = tracksOf(parsed(F.SPLIT_STEM_SUCCESS).event);
    expect(tracks).toHaveLength(12);
    expect(tracks.map((t) => t.stem).sort()).toEqual([...SPLIT_STEMS].sort());
    const info = F.SPLIT_STEM_SUCCESS.data.vocal_separation_info ?? {};
    for (const track of tracks) {
      const key = track.stem === 'vocals' ? 'vocal_url' : `${track.stem}_url`;
      expect(track.url, track.stem).toBe(info[key]);
      expect(track.key).toBe(track.stem);
    }
  });

  it('split_stem in each key shape', () => {
    const info = F.SPLIT_STEM_SUCCESS.data.vocal_separation_info ?? {};
    const camel = Object.fromEntries(
      Object.entries(info).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]),
    );
    const shapes = [
      { vocal_removal_info: info },
      { response: { ...camel, instrumentalUrl: null, originUrl: null } },
    ];
    for (const shape of shapes) {
      const body = { code: 200, msg: 'ok', data: { task_id: F.SPLIT_STEM_TASK_ID, ...shape } };
      expect(
        tracksOf(parsed(body).event)
          .map((t) => t.stem)
          .sort(),
      ).toEqual([...SPLIT_STEMS].sort());
    }
  });

  it('failure with a null info object, for both modes', () => {
    for (const body of [F.SEPARATE_VOCAL_FAILURE, F.SPLIT_STEM_FAILURE, F.SEPARATION_FAILURE_KIE_API]) {
      const value = parsed(body);
      expect(value.family).toBe('separation');
      const failure = failureOf(value.event);
      expect(failure.code).toBe(500);
      expect(failure.message).toContain(body.msg);
    }
  });

  it('success without any stem URL is refused', () => {
    const body = clone(F.SEPARATE_VOCAL_SUCCESS);
    body.data.vocal_separation_info = { origin_url: '', vocal_url: '', instrumental_url: '' };
    expect(parseCallback(body)).toMatchObject({ ok: false, reason: expect.stringMatching(/stem/) });
    body.data.vocal_separation_info = null;
    expect(parseCallback(body).ok).toBe(false);
  });
});

describe('WAV callback', () => {
  it('one track keyed wav with the WAV URL', () => {
    const value = parsed(F.WAV_SUCCESS);
    expect(value).toMatchObject({ kieTaskId: F.WAV_TASK_ID, family: 'wav' });
    expect(value.event).toMatchObject({ kind: 'progress', stage: 'complete' });
    expect(tracksOf(value.event)).toEqual([
      expect.objectContaining({ key: 'wav', stem: 'take', url: 'https://file.example/s/0b8e1c52.wav' }),
    ]);
  });

  it('failure and missing URL', () => {
    const failed = { code: 500, msg: 'WAV failed', data: { task_id: F.WAV_TASK_ID, audioWavUrl: null } };
    expect(failureOf(parsed(failed).event).code).toBe(500);
    const empty = { code: 200, msg: 'success', data: { task_id: F.WAV_TASK_ID, audioWavUrl: null } };
    expect(parseCallback(empty)).toMatchObject({ ok: false, reason: expect.stringMatching(/audioWavUrl/) });
  });
});

describe('malformed callbacks', () => {
  const noTracks = clone(F.MUSIC_COMPLETE);
  noTracks.data.data = [];
  const nullTracks = clone(F.MUSIC_COMPLETE);
  nullTracks.data.data = null;
  const unknownType = { ...clone(F.MUSIC_TEXT), data: { ...F.MUSIC_TEXT.data, callbackType: 'halfway' } };
  const noTask = { code: 200, msg: 'x', data: { callbackType: 'text', data: [] } };
  const cases: Array<[string, unknown, RegExp]> = [
    ['null', null, /not a JSON object/],
    ['a string', 'hello', /not a JSON object/],
    ['an array', [F.MUSIC_TEXT], /not a JSON object/],
    ['no code', { msg: 'x', data: F.MUSIC_TEXT.data }, /code/],
    ['code as a string', { ...F.MUSIC_TEXT, code: '200' }, /code/],
    ['no data', { code: 200, msg: 'x' }, /data/],
    ['data null', { code: 501, msg: 'x', data: null }, /data/],
    ['data an array', { code: 200, msg: 'x', data: [] }, /data/],
    ['no task id', noTask, /task id/],
    ['unknown callbackType', unknownType, /callbackType/],
    ['complete with empty tracks', noTracks, /without tracks/],
    ['complete with data null', nullTracks, /without tracks/],
    ['no recognisable family', { code: 200, msg: 'x', data: { task_id: 'abc', foo: 1 } }, /unrecognised/],
  ];
  it.each(cases)('%s → ok:false with a reason', (_name, body, reason) => {
    const result = parseCallback(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('task id extraction', () => {
  it('reads data.task_id, data.taskId, then top-level task_id / taskId', () => {
    expect(callbackTaskId({ data: { task_id: 'a', taskId: 'b' }, task_id: 'c' })).toBe('a');
    expect(callbackTaskId({ data: { taskId: 'b' }, task_id: 'c' })).toBe('b');
    expect(callbackTaskId({ data: null, task_id: 'c' })).toBe('c');
    expect(callbackTaskId({ taskId: 'd' })).toBe('d');
    expect(callbackTaskId({ data: { task_id: '' } })).toBeNull();
    expect(callbackTaskId({ data: { task_id: 42 } })).toBeNull();
    expect(callbackTaskId('nope')).toBeNull();
    expect(callbackTaskId(null)).toBeNull();
  });

  it('parses a callback whose id is only at data.taskId or top level', () => {
    const camel = { code: 200, msg: 'ok', data: { taskId: 'cn-id', audioWavUrl: 'https://f.example/a.wav' } };
    expect(parsed(camel).kieTaskId).toBe('cn-id');
    const top = { code: 200, msg: 'ok', task_id: 'top-id', data: { audioWavUrl: 'https://f.example/a.wav' } };
    expect(parsed(top).kieTaskId).toBe('top-id');
  });
});

describe('stem key mapping', () => {
  it.each([
    ['vocal_url', 'vocals'],
    ['vocalUrl', 'vocals'],
    ['instrumental_url', 'instrumental'],
    ['backing_vocals_url', 'backing_vocals'],
    ['backingVocalsUrl', 'backing_vocals'],
    ['fxUrl', 'fx'],
    ['pianoUrl', 'keyboard'],
    ['origin_url', null],
    ['originUrl', null],
    ['originData', null],
    ['id', null],
    ['kazoo_url', null],
  ])('%s → %s', (key, stem) => {
    expect(stemForUrlKey(key)).toBe(stem);
  });

  it.each([
    ['Vocals', 'vocals'],
    ['Instrumental', 'instrumental'],
    ['Backing Vocals', 'backing_vocals'],
    ['FX', 'fx'],
    [' Woodwinds ', 'woodwinds'],
    ['Kazoo', null],
  ])('group %s → %s', (name, stem) => {
    expect(stemForGroupName(name)).toBe(stem);
  });

  it('pianoUrl only fills keyboard when keyboardUrl is absent, whatever the key order', () => {
    const both = {
      code: 200,
      msg: 'ok',
      data: { task_id: 't', response: { pianoUrl: 'https://p', keyboardUrl: 'https://k' } },
    };
    expect(tracksOf(parsed(both).event)).toEqual([
      expect.objectContaining({ stem: 'keyboard', url: 'https://k' }),
    ]);
    const reversed = {
      code: 200,
      msg: 'ok',
      data: { task_id: 't', response: { keyboardUrl: 'https://k', pianoUrl: 'https://p' } },
    };
    expect(tracksOf(parsed(reversed).event)).toEqual([
      expect.objectContaining({ stem: 'keyboard', url: 'https://k' }),
    ]);
    const pianoOnly = {
      code: 200,
      msg: 'ok',
      data: { task_id: 't', response: { pianoUrl: 'https://p', keyboardUrl: null } },
    };
    expect(tracksOf(parsed(pianoOnly).event)).toEqual([
      expect.objectContaining({ stem: 'keyboard', url: 'https://p' }),
    ]);
  });
});
