// Integration tests of the KIE simulator's core: uploads both ways, add-instrumental with staged signed
// callbacks, record-info progress and add-vocals validation (real HTTP on 127.0.0.1).
import { describe, expect, it } from 'vitest';
import { webhookSignature } from '../../electron/core/simulator/index.ts';
import { pick, pickString, type SimulatorHarness } from '../../electron/core/simulator/harness.ts';
import { simulatorPerTest } from '../helpers/simulators.ts';

const KEY = 'test-key';
const FAKE_MP3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
const start = simulatorPerTest({ apiKey: KEY, audioDurationSec: 2, stageDelayMs: 30 });

async function addInstrumental(h: SimulatorHarness, callBackUrl: string): Promise<string> {
  const uploadUrl = await h.upload(FAKE_MP3);
  const body = {
    uploadUrl,
    title: 'Harbor Lights',
    tags: 'indie folk',
    negativeTags: 'edm',
    callBackUrl,
    model: 'V4_5PLUS',
  };
  return pickString(await h.call('/api/v1/generate/add-instrumental', body), 'data', 'taskId');
}

describe('KIE simulator: uploads and music tasks', () => {
  it('signs like the worked example in kie-api.md §9.3', () => {
    expect(webhookSignature('sim-webhook-key-123', '3f9c2b7d1e6a48c0b5d2e7f1a9c4b8d6', 1767225600)).toBe(
      'DDD1zNhgwGjgnqB6Qxcy+WXAeKgZFGVc0anPhw0R8Do=',
    );
  });

  it('accepts multipart and base64 uploads and serves them back from the upload host', async () => {
    const { sim, call } = await start();
    const form = new FormData();
    form.append('file', new Blob([FAKE_MP3], { type: 'audio/mpeg' }), 'vox take.mp3');
    form.append('uploadPath', '/audio/user-uploads/');
    form.append('fileName', 'vox take.mp3');
    const headers = { Authorization: `Bearer ${KEY}` };
    const res = await fetch(`${sim.uploadUrl}/api/file-stream-upload`, {
      method: 'POST',
      headers,
      body: form,
    });
    const stream: unknown = await res.json();
    expect(stream).toMatchObject({
      success: true,
      code: 200,
      msg: 'File uploaded successfully',
      data: {
        fileName: 'vox take.mp3',
        filePath: 'audio/user-uploads/vox take.mp3',
        fileSize: FAKE_MP3.length,
        mimeType: 'audio/mpeg',
      },
    });
    const downloadUrl = pickString(stream, 'data', 'downloadUrl');
    expect(downloadUrl.startsWith(sim.uploadUrl)).toBe(true);
    expect(Number.isNaN(Date.parse(pickString(stream, 'data', 'uploadedAt')))).toBe(false);
    const fetched = await fetch(downloadUrl);
    expect(fetched.headers.get('content-type')).toBe('audio/mpeg');
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(FAKE_MP3);

    const upload = (body: unknown): Promise<unknown> =>
      call('/api/file-base64-upload', body, { base: sim.uploadUrl });
    const base64Data = Buffer.from(FAKE_MP3).toString('base64');
    const raw = await upload({ base64Data, uploadPath: 'audio', fileName: 'raw.mp3' });
    expect(raw).toMatchObject({ success: true, data: { fileName: 'raw.mp3', fileSize: FAKE_MP3.length } });
    const wavHeader = Buffer.from('RIFF\0\0\0\0WAVEfmt ').toString('base64');
    const uri = await upload({ base64Data: `data:audio/wav;base64,${wavHeader}`, uploadPath: 'audio' });
    expect(pick(uri, 'data', 'mimeType')).toBe('audio/wav');
    expect(pickString(uri, 'data', 'fileName')).toMatch(/\.wav$/);
    expect(await upload({ base64Data: 'not base64!', uploadPath: 'a' })).toMatchObject({
      success: false,
      code: 400,
      msg: 'Base64 decoding failed: Invalid Base64 format',
    });
    expect(await upload({ base64Data: 'AAAA' })).toMatchObject({
      success: false,
      code: 400,
      msg: 'Missing required parameter: uploadPath',
    });
  });

  it('runs add-instrumental through text, first and complete callbacks with valid HMAC headers', async () => {
    const h = await start({ hmacKey: 'sim-webhook-key-123' });
    const taskId = await addInstrumental(h, `${h.catcher.url}/hook`);
    expect(taskId).toMatch(/^[0-9a-f]{32}$/);
    await h.sim.control.idle();
    const bodies = h.catcher.received.map((c) => c.body);
    expect(bodies.map((b) => pick(b, 'data', 'callbackType'))).toEqual(['text', 'first', 'complete']);
    expect(bodies.map((b) => pick(b, 'data', 'data', 'length'))).toEqual([0, 1, 2]);
    expect(bodies.map((b) => pick(b, 'data', 'task_id'))).toEqual([taskId, taskId, taskId]);
    for (const c of h.catcher.received) {
      const timestamp = Number(c.headers['x-webhook-timestamp']);
      expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(300);
      expect(c.headers['x-webhook-signature']).toBe(
        webhookSignature('sim-webhook-key-123', taskId, timestamp),
      );
      expect(c.path).toBe('/hook');
    }
    const track = pick(bodies[2], 'data', 'data', 0);
    expect(track).toMatchObject({
      prompt: '[Instrumental]',
      title: 'Harbor Lights',
      tags: 'indie folk',
      duration: 2,
    });
    expect(pickString(track, 'createTime')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const audio = await fetch(pickString(track, 'audio_url'));
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    const bytes = new Uint8Array(await audio.arrayBuffer());
    expect(Number(audio.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.length).toBeGreaterThan(20_000);
    expect((await fetch(pickString(track, 'image_url'))).headers.get('content-type')).toBe('image/png');
  });

  it('reports record-info progress in order and the documented success shape', async () => {
    const h = await start({ stageDelayMs: 400, createTimeFormat: 'epoch' });
    const taskId = await addInstrumental(h, h.catcher.url);
    const order = ['PENDING', 'TEXT_SUCCESS', 'FIRST_SUCCESS', 'SUCCESS'];
    const seen: unknown[] = [];
    let info: unknown = null;
    while (seen.at(-1) !== 'SUCCESS') {
      info = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
      seen.push(pick(info, 'data', 'status'));
      // Stay under KIE's 3 lookups per second per task.
      await new Promise((r) => setTimeout(r, 350));
    }
    expect(seen[0]).toBe('PENDING');
    const ranks = seen.map((s) => order.indexOf(String(s)));
    expect(ranks.every((r, i) => r >= 0 && (i === 0 || r >= (ranks[i - 1] ?? 0)))).toBe(true);
    expect(pick(info, 'data')).toMatchObject({
      taskId,
      parentMusicId: '',
      operationType: 'underpainting',
      errorCode: null,
      errorMessage: null,
    });
    expect(JSON.parse(pickString(info, 'data', 'param'))).toMatchObject({
      title: 'Harbor Lights',
      model: 'V4_5PLUS',
    });
    const first = pick(info, 'data', 'response', 'sunoData', 0);
    const keys = [
      'audioUrl',
      'createTime',
      'duration',
      'id',
      'imageUrl',
      'modelName',
      'prompt',
      'streamAudioUrl',
      'tags',
      'title',
    ];
    expect(Object.keys(first ?? {}).sort()).toEqual(keys.sort());
    expect(typeof pick(first, 'createTime')).toBe('number');
    await h.sim.control.idle();
    expect(typeof pick(h.catcher.received.at(-1)?.body, 'data', 'data', 0, 'createTime')).toBe('number');
    const unknown = await h.call('/api/v1/generate/record-info?taskId=ffffffffffffffffffffffffffffffff');
    expect(unknown).toEqual({ code: 422, msg: 'recordInfo is null', data: null });
  });

  it('rejects invalid add-vocals and add-instrumental bodies with 422 naming the field', async () => {
    const { sim, call, catcher } = await start({ dropCallbacks: true });
    const good = {
      uploadUrl: 'http://127.0.0.1:1/x.mp3',
      prompt: 'la la',
      title: 'T',
      style: 'jazz',
      negativeTags: 'metal',
      callBackUrl: catcher.url,
    };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, prompt: undefined }, 'prompt'],
      [{ ...good, style: undefined }, 'style'],
      [{ ...good, uploadUrl: 'not a url' }, 'uploadUrl'],
      [{ ...good, callBackUrl: undefined }, 'callBackUrl'],
      [{ ...good, title: 'x'.repeat(101) }, 'title'],
      [{ ...good, negativeTags: 'x'.repeat(201) }, 'negativeTags'],
      [{ ...good, vocalGender: 'x' }, 'vocalGender'],
      [{ ...good, styleWeight: 1.5 }, 'styleWeight'],
      [{ ...good, audioWeight: '0.5' }, 'audioWeight'],
      [{ ...good, model: 'V3_5' }, 'model'],
    ];
    for (const [body, field] of cases) {
      const answer = await call('/api/v1/generate/add-vocals', body);
      expect(answer, field).toMatchObject({ code: 422, data: null });
      expect(pickString(answer, 'msg').split(' ')[0], field).toBe(field);
    }
    const instrumental = {
      uploadUrl: good.uploadUrl,
      title: 'T',
      negativeTags: '',
      callBackUrl: catcher.url,
    };
    expect(
      await call('/api/v1/generate/add-instrumental', { ...instrumental, tags: 'x'.repeat(1001) }),
    ).toMatchObject({
      code: 422,
      msg: 'tags must be at most 1000 characters',
    });
    expect(await call('/api/v1/generate/add-instrumental', instrumental)).toMatchObject({
      code: 422,
      msg: 'tags is required',
    });
    expect(await call('/api/v1/generate/add-vocals', good)).toMatchObject({ code: 200 });
    const notJson = await call('/api/v1/generate/add-vocals', '{not json');
    expect(notJson).toEqual({ code: 400, msg: 'format error', data: null });
    expect(sim.control.tasks()).toHaveLength(1);
  });
});
