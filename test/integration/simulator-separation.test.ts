// Integration tests of the simulator's separation and WAV endpoints: both input forms, the three callback key
// shapes, twelve decodable stems, and the near-silent woodwinds stem (real HTTP, real MP3 decoding).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MPEGDecoder } from 'mpg123-decoder';
import { describe, expect, it } from 'vitest';
import { pick, pickString, type SimulatorHarness } from '../../electron/core/simulator/harness.ts';
import { simulatorPerTest } from '../helpers/simulators.ts';

const DURATION = 2;
const start = simulatorPerTest({ audioDurationSec: DURATION, stageDelayMs: 20 });

/** Generates a take and returns its task id and first track id. */
async function generateTake(h: SimulatorHarness): Promise<{ taskId: string; audioId: string }> {
  const body = {
    uploadUrl: await h.upload(),
    title: 'T',
    tags: 'pop',
    negativeTags: '',
    callBackUrl: h.catcher.url,
  };
  const taskId = pickString(await h.call('/api/v1/generate/add-instrumental', body), 'data', 'taskId');
  await h.sim.control.idle();
  const info = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
  return { taskId, audioId: pickString(info, 'data', 'response', 'sunoData', 0, 'id') };
}

async function separate(h: SimulatorHarness, body: Record<string, unknown>): Promise<string> {
  const answer = await h.call('/api/v1/vocal-removal/generate', body);
  expect(answer).toMatchObject({ code: 200, msg: 'success' });
  await h.sim.control.idle();
  return pickString(answer, 'data', 'taskId');
}

async function download(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('audio/mpeg');
  return new Uint8Array(await res.arrayBuffer());
}

interface Decoded {
  left: Float32Array;
  frames: number;
  peakDb: number;
}

async function decode(bytes: Uint8Array | undefined): Promise<Decoded> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const out = decoder.decode(bytes ?? new Uint8Array());
    expect(out.errors).toEqual([]);
    expect(out.sampleRate).toBe(44100);
    expect(out.channelData).toHaveLength(2);
    const peak = Math.max(...out.channelData.map((ch) => ch.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    return {
      left: out.channelData[0] ?? new Float32Array(),
      frames: out.samplesDecoded,
      peakDb: 20 * Math.log10(peak),
    };
  } finally {
    decoder.free();
  }
}

const rms = (xs: Float32Array): number =>
  Math.sqrt(xs.reduce((s, v) => s + v * v, 0) / Math.max(1, xs.length));

const STEM_KEYS = [
  'vocal_url',
  'backing_vocals_url',
  'drums_url',
  'bass_url',
  'guitar_url',
  'keyboard_url',
  'percussion_url',
  'strings_url',
  'synth_url',
  'fx_url',
  'brass_url',
  'woodwinds_url',
];

describe('KIE simulator: separation and WAV', () => {
  it('separates a generated take (Form A) into vocals and instrumental that add back up to the take', async () => {
    const h = await start();
    const { taskId, audioId } = await generateTake(h);
    const credits = h.sim.control.credits();
    const sepId = await separate(h, {
      taskId,
      audioId,
      type: 'separate_vocal',
      callBackUrl: `${h.catcher.url}/sep`,
    });
    expect(h.sim.control.credits()).toBe(credits - 10);
    const callback = h.catcher.received.at(-1);
    expect(callback?.path).toBe('/sep');
    expect(callback?.body).toEqual({
      code: 200,
      msg: 'vocal separation generated successfully.',
      data: {
        task_id: sepId,
        vocal_separation_info: {
          origin_url: '',
          vocal_url: expect.any(String),
          instrumental_url: expect.any(String),
        },
      },
    });
    const info = await h.call(`/api/v1/vocal-removal/record-info?taskId=${sepId}`);
    expect(pick(info, 'data')).toMatchObject({
      taskId: sepId,
      musicId: audioId,
      musicIndex: 0,
      successFlag: 'SUCCESS',
    });
    const response = pick(info, 'data', 'response') as Record<string, unknown>;
    expect(response.vocalUrl).toBe(pick(callback?.body, 'data', 'vocal_separation_info', 'vocal_url'));
    const setUrls = Object.entries(response).filter(([k, v]) => k.endsWith('Url') && v !== null);
    expect(setUrls.map(([k]) => k).sort()).toEqual(['instrumentalUrl', 'vocalUrl']);
    expect(pick(response, 'originData')).toEqual([
      {
        duration: DURATION,
        audio_url: response.vocalUrl,
        stem_type_group_name: 'Vocals',
        id: expect.any(String),
      },
      {
        duration: DURATION,
        audio_url: response.instrumentalUrl,
        stem_type_group_name: 'Instrumental',
        id: expect.any(String),
      },
    ]);

    const takeInfo = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
    const take = await decode(
      await download(pickString(takeInfo, 'data', 'response', 'sunoData', 0, 'audioUrl')),
    );
    const vocals = await decode(await download(pickString(response, 'vocalUrl')));
    const backing = await decode(await download(pickString(response, 'instrumentalUrl')));
    expect(take.frames).toBe(vocals.frames);
    const residual = take.left.map((v, i) => v - (vocals.left[i] ?? 0) - (backing.left[i] ?? 0));
    expect(rms(residual)).toBeLessThan(0.25 * rms(take.left));
  });

  it('delivers the separation callback under each configured key shape', async () => {
    const h = await start();
    const source = await generateTake(h);
    const body = { ...source, type: 'separate_vocal', callBackUrl: h.catcher.url };
    h.sim.control.setOptions({ separationCallbackKey: 'vocal_removal_info' });
    const removalId = await separate(h, body);
    expect(h.catcher.received.at(-1)?.body).toMatchObject({
      msg: 'vocal Removal generated successfully.',
      data: {
        task_id: removalId,
        vocal_removal_info: { vocal_url: expect.any(String), instrumental_url: expect.any(String) },
      },
    });
    h.sim.control.setOptions({ separationCallbackKey: 'response' });
    const responseId = await separate(h, body);
    const last = h.catcher.received.at(-1)?.body;
    expect(last).toMatchObject({
      code: 200,
      data: { task_id: responseId, taskId: responseId, successFlag: 'SUCCESS', musicId: source.audioId },
    });
    expect(pickString(last, 'data', 'response', 'instrumentalUrl')).toMatch(/_Instrumental\.mp3$/);
    expect(pick(last, 'data', 'vocal_separation_info')).toBeUndefined();
  });

  it('separates uploaded audio by audioUrl (Form B) unless the option is off, and validates both forms', async () => {
    const h = await start();
    const audioUrl = await h.upload();
    const sepId = await separate(h, { audioUrl, type: 'separate_vocal', callBackUrl: h.catcher.url });
    const vocals = pickString(h.catcher.received.at(-1)?.body, 'data', 'vocal_separation_info', 'vocal_url');
    expect((await decode(await download(vocals))).frames).toBe(DURATION * 44100);
    expect(pick(await h.call(`/api/v1/vocal-removal/record-info?taskId=${sepId}`), 'data', 'musicId')).toBe(
      '',
    );

    const reject = (body: Record<string, unknown>): Promise<unknown> =>
      h.call('/api/v1/vocal-removal/generate', { callBackUrl: h.catcher.url, ...body });
    expect(await reject({ audioUrl, audioId: 'x' })).toMatchObject({
      code: 422,
      msg: 'audioUrl cannot be combined with audioId',
    });
    expect(pickString(await reject({ audioUrl, type: 'split_stem_advanced' }), 'msg')).toMatch(/^type /);
    expect(pickString(await reject({ taskId: 'nope', audioId: 'x' }), 'msg')).toMatch(/^taskId /);
    h.sim.control.setOptions({ allowAudioUrlSeparation: false });
    const refused = await reject({ audioUrl });
    expect(refused).toMatchObject({ code: 422, data: null });
    expect(pickString(refused, 'msg')).toMatch(/^audioUrl .*not supported/);

    h.sim.control.setOptions({ allowAudioUrlSeparation: true });
    h.sim.control.expireAllFiles();
    const expiredId = await separate(h, { audioUrl, callBackUrl: h.catcher.url });
    expect(h.catcher.received.at(-1)?.body).toEqual({
      code: 451,
      msg: 'could not download the input file',
      data: { task_id: expiredId, vocal_separation_info: null },
    });
  });

  it('splits a take into twelve distinct decodable stems with a near-silent woodwinds stem', async () => {
    const h = await start();
    const source = await generateTake(h);
    const credits = h.sim.control.credits();
    const sepId = await separate(h, { ...source, type: 'split_stem', callBackUrl: h.catcher.url });
    expect(h.sim.control.credits()).toBe(credits - 50);
    const info = pick(h.catcher.received.at(-1)?.body, 'data', 'vocal_separation_info') as Record<
      string,
      string
    >;
    expect(Object.keys(info).sort()).toEqual(['origin_url', ...STEM_KEYS].sort());
    const files = await Promise.all(STEM_KEYS.map((k) => download(info[k] ?? '')));
    expect(new Set(files.map((f) => Buffer.from(f).toString('base64'))).size).toBe(12);

    const [vocals, drums, woodwinds] = await Promise.all([0, 2, 11].map((i) => decode(files[i])));
    for (const stem of [vocals, drums, woodwinds]) {
      expect(Math.abs((stem?.frames ?? 0) / 44100 - DURATION)).toBeLessThanOrEqual(0.1);
    }
    expect(woodwinds?.peakDb).toBeLessThan(-60);
    expect(vocals?.peakDb).toBeGreaterThan(-30);
    expect(drums?.peakDb).toBeGreaterThan(-30);

    const response = pick(
      await h.call(`/api/v1/vocal-removal/record-info?taskId=${sepId}`),
      'data',
      'response',
    );
    expect(response).toMatchObject({
      instrumentalUrl: null,
      pianoUrl: null,
      woodwindsUrl: info.woodwinds_url,
      fxUrl: info.fx_url,
    });
    expect(pick(response, 'originData', 'length')).toBe(12);

    if (!existsSync('/usr/bin/ffmpeg')) {
      console.log('ffmpeg is not installed: skipping the second-decoder duration check');
      return;
    }
    const ffmpeg = spawnSync('/usr/bin/ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', '-'], {
      input: files[0],
    });
    expect(Math.abs(ffmpeg.stdout.length / 4 / 44100 - DURATION)).toBeLessThanOrEqual(0.1);
  });

  it('converts a track to WAV with a single callback, record-info and 409 on a repeat', async () => {
    const h = await start();
    const source = await generateTake(h);
    const answer = await h.call('/api/v1/wav/generate', { ...source, callBackUrl: h.catcher.url });
    expect(answer).toMatchObject({ code: 200 });
    await h.sim.control.idle();
    const wavId = pickString(answer, 'data', 'taskId');
    const callback = h.catcher.received.at(-1)?.body;
    expect(callback).toEqual({
      code: 200,
      msg: 'success',
      data: { task_id: wavId, audioWavUrl: expect.stringMatching(/\.wav$/) },
    });
    const res = await fetch(pickString(callback, 'data', 'audioWavUrl'));
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.toString('ascii', 0, 4) + wav.toString('ascii', 8, 12)).toBe('RIFFWAVE');
    expect(wav.length).toBe(44 + DURATION * 44100 * 4);
    const info = await h.call(`/api/v1/wav/record-info?taskId=${wavId}`);
    expect(pick(info, 'data')).toMatchObject({
      taskId: wavId,
      musicId: source.audioId,
      successFlag: 'SUCCESS',
      response: { audioWavUrl: pick(callback, 'data', 'audioWavUrl') },
    });
    expect(await h.call('/api/v1/wav/generate', { ...source, callBackUrl: h.catcher.url })).toMatchObject({
      code: 409,
    });
    expect(await h.call('/api/v1/wav/record-info?taskId=nope')).toEqual({
      code: 422,
      msg: 'recordInfo is null',
      data: null,
    });
  });
});
