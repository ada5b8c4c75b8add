// Record-info normalisation (music statuses, separation successFlag + originData, WAV) into the same
// events callbacks produce.
import { describe, expect, it } from 'vitest';
import {
  musicEventFromRecordInfo,
  separationEventFromRecordInfo,
  wavEventFromRecordInfo,
} from '../../shared/kie/record-info.ts';
import type { AnnouncedTrack, KieEvent } from '../../shared/kie/tracks.ts';
import { STATUS_FAILURES } from '../../shared/kie/failure-messages.ts';
import { SPLIT_STEMS } from '../../shared/domain.ts';
import * as F from '../fixtures/kie-callbacks.ts';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function tracksOf(event: KieEvent): AnnouncedTrack[] {
  if (event.kind !== 'progress') throw new Error(`expected progress, got ${event.kind}`);
  return event.tracks;
}

function music(
  status: string,
  withTracks: boolean,
  extra: Partial<F.MusicRecordInfo> = {},
): F.MusicRecordInfo {
  const data = clone(F.MUSIC_RECORD_INFO_SUCCESS);
  data.status = status;
  if (!withTracks) data.response.sunoData = [];
  return { ...data, ...extra };
}

describe('music record-info', () => {
  it('SUCCESS (doc example): complete with the camelCase take', () => {
    const event = musicEventFromRecordInfo(F.MUSIC_RECORD_INFO_SUCCESS);
    expect(event).toMatchObject({ kind: 'progress', stage: 'complete' });
    expect(tracksOf(event)).toEqual([
      {
        key: F.MUSIC_AUDIO_ID,
        audioId: F.MUSIC_AUDIO_ID,
        stem: 'take',
        title: 'Harbor Lights (band version)',
        url: 'https://file.example/0b8e1c52.mp3',
        streamUrl: 'https://stream.example/0b8e1c52',
        imageUrl: 'https://file.example/0b8e1c52.jpeg',
        durationSec: 187.36,
        tags: 'indie folk, acoustic guitar',
        prompt: '[Instrumental]',
        modelName: 'chirp-v4-5',
      },
    ]);
  });

  it('record-info and the callback for the same take agree on key and URL', () => {
    const fromInfo = tracksOf(musicEventFromRecordInfo(F.MUSIC_RECORD_INFO_SUCCESS))[0];
    expect(fromInfo?.key).toBe(F.MUSIC_COMPLETE.data.data?.[0]?.id);
    expect(fromInfo?.url).toBe(F.MUSIC_COMPLETE.data.data?.[0]?.audio_url);
  });

  it.each([
    ['PENDING', true, { kind: 'pending' }],
    ['PENDING', false, { kind: 'pending' }],
    ['TEXT_SUCCESS', false, { kind: 'progress', stage: 'text', tracks: [] }],
    ['FIRST_SUCCESS', false, { kind: 'progress', stage: 'first', tracks: [] }],
    ['SUCCESS', false, { kind: 'pending' }],
  ] as const)('%s (tracks: %s) → %j', (status, withTracks, expected) => {
    expect(musicEventFromRecordInfo(music(status, withTracks))).toEqual(expected);
  });

  it('TEXT_SUCCESS / FIRST_SUCCESS carry the tracks known so far', () => {
    expect(tracksOf(musicEventFromRecordInfo(music('TEXT_SUCCESS', true)))).toHaveLength(1);
    const first = musicEventFromRecordInfo(music('FIRST_SUCCESS', true));
    expect(first).toMatchObject({ kind: 'progress', stage: 'first' });
    expect(tracksOf(first)[0]?.url).toBe('https://file.example/0b8e1c52.mp3');
  });

  it('SUCCESS whose takes have no audio URL yet stays pending', () => {
    const data = music('SUCCESS', true);
    const take = data.response.sunoData[0];
    if (take) {
      take.audioUrl = '';
      delete take.sourceAudioUrl;
    }
    expect(musicEventFromRecordInfo(data)).toEqual({ kind: 'pending' });
  });

  it('the failure doc example keeps errorCode and errorMessage', () => {
    const event = musicEventFromRecordInfo(F.MUSIC_RECORD_INFO_FAILURE);
    expect(event.kind).toBe('failure');
    if (event.kind !== 'failure') return;
    expect(event.code).toBe(501);
    expect(event.message).toContain('KIE failed to generate audio');
    expect(event.message).toContain('Generation failed, please retry');
  });

  it.each(['CREATE_TASK_FAILED', 'GENERATE_AUDIO_FAILED', 'SENSITIVE_WORD_ERROR'])(
    '%s without errorCode/errorMessage → failure with our status text',
    (status) => {
      for (const withTracks of [false, true]) {
        const event = musicEventFromRecordInfo(music(status, withTracks));
        expect(event).toEqual({ kind: 'failure', code: null, message: STATUS_FAILURES[status] });
      }
    },
  );

  it('errorCode 200 on a failure adds no code explanation to the message', () => {
    const event = musicEventFromRecordInfo(
      music('GENERATE_AUDIO_FAILED', false, { errorCode: 200, errorMessage: 'x' }),
    );
    expect(event).toMatchObject({ kind: 'failure', message: 'x' });
  });

  it('CALLBACK_EXCEPTION with tracks is a finished task, without tracks a failure', () => {
    const withTracks = musicEventFromRecordInfo(music('CALLBACK_EXCEPTION', true));
    expect(withTracks).toMatchObject({ kind: 'progress', stage: 'complete' });
    expect(tracksOf(withTracks)).toHaveLength(1);
    const without = musicEventFromRecordInfo(music('CALLBACK_EXCEPTION', false));
    expect(without).toEqual({ kind: 'failure', code: null, message: STATUS_FAILURES.CALLBACK_EXCEPTION });
  });

  it('non-object data and a missing status are pending', () => {
    expect(musicEventFromRecordInfo(null)).toEqual({ kind: 'pending' });
    expect(musicEventFromRecordInfo('x')).toEqual({ kind: 'pending' });
    expect(musicEventFromRecordInfo({ response: null })).toEqual({ kind: 'pending' });
  });
});

function separation(flag: string, response: F.SeparationRecordInfo['response']): F.SeparationRecordInfo {
  return { ...clone(F.SEPARATION_RECORD_INFO_SUCCESS), successFlag: flag, response };
}

function splitStemResponse(): NonNullable<F.SeparationRecordInfo['response']> {
  const names: Record<string, string> = {
    vocals: 'Vocals',
    backing_vocals: 'Backing Vocals',
    drums: 'Drums',
    bass: 'Bass',
    guitar: 'Guitar',
    keyboard: 'Keyboard',
    percussion: 'Percussion',
    strings: 'Strings',
    synth: 'Synth',
    fx: 'FX',
    brass: 'Brass',
    woodwinds: 'Woodwinds',
  };
  const urlKey = (stem: string) =>
    `${stem === 'vocals' ? 'vocal' : stem}Url`.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const urls = Object.fromEntries(
    SPLIT_STEMS.map((stem) => [urlKey(stem), `https://file.example/s/${stem}.mp3`]),
  );
  return {
    id: null,
    originUrl: null,
    originData: SPLIT_STEMS.map((stem, i) => ({
      duration: 180 + i,
      audio_url: `https://file.example/s/o-${stem}.mp3`,
      stem_type_group_name: names[stem] ?? stem,
      id: `origin-${stem}`,
    })),
    instrumentalUrl: null,
    pianoUrl: null,
    ...urls,
  };
}

describe('separation record-info', () => {
  it('SUCCESS (doc example): vocals + instrumental with originData ids and durations joined', () => {
    const event = separationEventFromRecordInfo(F.SEPARATION_RECORD_INFO_SUCCESS);
    expect(event).toMatchObject({ kind: 'progress', stage: 'complete' });
    const byStem = new Map(tracksOf(event).map((t) => [t.stem, t]));
    expect([...byStem.keys()].sort()).toEqual(['instrumental', 'vocals']);
    expect(byStem.get('vocals')).toMatchObject({
      key: 'vocals',
      url: 'https://file.example/s/8a41_Vocals.mp3',
      audioId: 'c1d2e3f4-0000-4a5b-8c9d-111122223333',
      durationSec: 187.36,
    });
    expect(byStem.get('instrumental')).toMatchObject({
      url: 'https://file.example/s/8a41_Instrumental.mp3',
      audioId: 'c1d2e3f4-0000-4a5b-8c9d-444455556666',
    });
  });

  it('split_stem SUCCESS: 12 stems, each joined with its own originData item', () => {
    const tracks = tracksOf(separationEventFromRecordInfo(separation('SUCCESS', splitStemResponse())));
    expect(tracks.map((t) => t.stem).sort()).toEqual([...SPLIT_STEMS].sort());
    for (const track of tracks) {
      expect(track.url).toBe(`https://file.example/s/${track.stem}.mp3`);
      expect(track.audioId).toBe(`origin-${track.stem}`);
      expect(track.durationSec).toBe(180 + SPLIT_STEMS.indexOf(track.stem));
    }
  });

  it('stems without an originData item keep null id and duration', () => {
    const response = splitStemResponse();
    response.originData = [];
    for (const track of tracksOf(separationEventFromRecordInfo(separation('SUCCESS', response)))) {
      expect(track.audioId).toBeNull();
      expect(track.durationSec).toBeNull();
    }
  });

  it.each([
    ['PENDING', { kind: 'pending' }],
    ['CREATE_TASK_FAILED', { kind: 'failure', code: null, message: STATUS_FAILURES.CREATE_TASK_FAILED }],
    [
      'GENERATE_AUDIO_FAILED',
      { kind: 'failure', code: null, message: STATUS_FAILURES.GENERATE_AUDIO_FAILED },
    ],
    ['CALLBACK_EXCEPTION', { kind: 'failure', code: null, message: STATUS_FAILURES.CALLBACK_EXCEPTION }],
    ['SUCCESS', { kind: 'pending' }],
  ] as const)('successFlag %s without results → %j', (flag, expected) => {
    expect(separationEventFromRecordInfo(separation(flag, null))).toEqual(expected);
  });

  it('CALLBACK_EXCEPTION with stem URLs is a finished separation', () => {
    const event = separationEventFromRecordInfo({
      ...clone(F.SEPARATION_RECORD_INFO_SUCCESS),
      successFlag: 'CALLBACK_EXCEPTION',
    });
    expect(tracksOf(event)).toHaveLength(2);
  });

  it('PENDING with partial URLs is still pending', () => {
    expect(
      separationEventFromRecordInfo({ ...clone(F.SEPARATION_RECORD_INFO_SUCCESS), successFlag: 'PENDING' }),
    ).toEqual({ kind: 'pending' });
  });

  it('failure with errorCode 500 and a message', () => {
    const data = {
      ...separation('GENERATE_AUDIO_FAILED', null),
      errorCode: 500,
      errorMessage: 'separation broke',
    };
    const event = separationEventFromRecordInfo(data);
    expect(event).toMatchObject({ kind: 'failure', code: 500 });
    if (event.kind === 'failure') expect(event.message).toContain('separation broke');
  });
});

describe('WAV record-info', () => {
  it('SUCCESS: one wav track with the source audio id', () => {
    const event = wavEventFromRecordInfo(F.WAV_RECORD_INFO_SUCCESS);
    expect(event).toMatchObject({ kind: 'progress', stage: 'complete' });
    expect(tracksOf(event)).toEqual([
      expect.objectContaining({
        key: 'wav',
        stem: 'take',
        audioId: F.MUSIC_AUDIO_ID,
        url: 'https://file.example/s/0b8e1c52.wav',
      }),
    ]);
  });

  it('uses the same track key as the WAV callback', () => {
    const info = tracksOf(wavEventFromRecordInfo(F.WAV_RECORD_INFO_SUCCESS))[0];
    expect(info?.key).toBe('wav');
  });

  it('reads a snake_case audio_wav_url too', () => {
    const data = {
      ...clone(F.WAV_RECORD_INFO_SUCCESS),
      response: { audio_wav_url: 'https://file.example/x.wav' },
    };
    expect(tracksOf(wavEventFromRecordInfo(data))[0]?.url).toBe('https://file.example/x.wav');
  });

  it.each([
    ['PENDING', { kind: 'pending' }],
    ['SUCCESS', { kind: 'pending' }],
    ['GENERATE_WAV_FAILED', { kind: 'failure', code: null, message: STATUS_FAILURES.GENERATE_WAV_FAILED }],
    ['CREATE_TASK_FAILED', { kind: 'failure', code: null, message: STATUS_FAILURES.CREATE_TASK_FAILED }],
    ['CALLBACK_EXCEPTION', { kind: 'failure', code: null, message: STATUS_FAILURES.CALLBACK_EXCEPTION }],
  ] as const)('%s without a URL → %j', (flag, expected) => {
    const data = { ...clone(F.WAV_RECORD_INFO_SUCCESS), successFlag: flag, response: { audioWavUrl: null } };
    expect(wavEventFromRecordInfo(data)).toEqual(expected);
  });

  it('non-object data is pending', () => {
    expect(wavEventFromRecordInfo(undefined)).toEqual({ kind: 'pending' });
  });
});
