// Integration tests of the simulator's account-level behaviour: auth, credits in both code families, rate
// limits, file expiry, range requests and temporary download links (real HTTP on 127.0.0.1).
import { describe, expect, it } from 'vitest';
import { pick, pickString } from '../../electron/core/simulator/harness.ts';
import { simulatorPerTest } from '../helpers/simulators.ts';

const KEY = 'test-key';
const start = simulatorPerTest({ apiKey: KEY, audioDurationSec: 2, stageDelayMs: 30 });

function instrumental(uploadUrl: string, callBackUrl: string): Record<string, unknown> {
  return { uploadUrl, title: 'T', tags: 'pop', negativeTags: '', callBackUrl };
}

describe('KIE simulator: auth, credits, limits and files', () => {
  it('answers missing or wrong keys with code 401 inside HTTP 200, and unknown paths with 404', async () => {
    const { sim, call } = await start();
    const denied = { code: 401, msg: 'You do not have access permissions', data: null };
    expect(await call('/api/v1/chat/credit', undefined, { key: 'wrong' })).toEqual(denied);
    const noHeader = await fetch(`${sim.apiUrl}/api/v1/chat/credit`);
    expect(noHeader.status).toBe(200);
    expect(await noHeader.json()).toEqual(denied);
    const body = { base64Data: 'AAAA', uploadPath: 'a' };
    const uploadDenied = await call('/api/file-base64-upload', body, { base: sim.uploadUrl, key: 'wrong' });
    expect(uploadDenied).toMatchObject({ success: false, code: 401 });
    const missing = await fetch(`${sim.apiUrl}/api/v1/nope`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'No message available' });
    expect(
      (await fetch(`${sim.uploadUrl}/api/v1/generate/add-instrumental`, { method: 'POST' })).status,
    ).toBe(404);
  });

  it('charges credits per operation and refuses with 402 (KIE) or 429 (sunoapi) when short', async () => {
    const { sim, call, catcher } = await start({ credits: 30.5, dropCallbacks: true });
    const body = instrumental('http://127.0.0.1:1/a.mp3', catcher.url);
    expect(await call('/api/v1/chat/credit')).toEqual({ code: 200, msg: 'success', data: 30.5 });
    await call('/api/v1/generate/add-instrumental', body);
    await call('/api/v1/generate/add-instrumental', body);
    expect(sim.control.credits()).toBe(6.5);
    const short = { code: 402, msg: 'The current credits are insufficient. Please top up.', data: null };
    expect(await call('/api/v1/generate/add-instrumental', body)).toEqual(short);
    sim.control.setOptions({ creditErrorFamily: 'sunoapi' });
    expect(await call('/api/v1/generate/add-instrumental', body)).toEqual({ ...short, code: 429 });
    sim.control.setCredits(12);
    expect(await call('/api/v1/generate/add-instrumental', body)).toMatchObject({ code: 200 });
    expect(await call('/api/v1/generate/credit')).toMatchObject({ data: 0 });
  });

  it('rate-limits creates beyond 20 per 10 s and record-info beyond 3 per second per task', async () => {
    const { sim, call, catcher } = await start({ dropCallbacks: true, stageDelayMs: 5_000 });
    const body = instrumental('http://127.0.0.1:1/a.mp3', catcher.url);
    const answers: unknown[] = [];
    for (let i = 0; i < 21; i++) answers.push(await call('/api/v1/generate/add-instrumental', body));
    expect(answers.slice(0, 20).map((a) => pick(a, 'code'))).toEqual(Array(20).fill(200));
    expect(answers[20]).toMatchObject({ code: 429, data: null });
    sim.control.setOptions({ creditErrorFamily: 'sunoapi' });
    expect(await call('/api/v1/generate/add-instrumental', body)).toMatchObject({ code: 405 });
    const path = `/api/v1/generate/record-info?taskId=${pickString(answers[0], 'data', 'taskId')}`;
    const infos = await Promise.all([1, 2, 3, 4].map(() => call(path)));
    expect(infos.map((i) => pick(i, 'code')).sort()).toEqual([200, 200, 200, 405]);
  });

  it('expires uploads and results (404), failing tasks whose input expired with callback code 451', async () => {
    const h = await start();
    const uploadUrl = await h.upload();
    await h.call('/api/v1/generate/add-instrumental', instrumental(uploadUrl, h.catcher.url));
    await h.sim.control.idle();
    const audioUrl = pickString(h.catcher.received.at(-1)?.body, 'data', 'data', 0, 'audio_url');
    expect((await fetch(audioUrl)).status).toBe(200);
    h.sim.control.expireAllFiles();
    expect((await fetch(audioUrl)).status).toBe(404);
    expect((await fetch(uploadUrl)).status).toBe(404);
    const created = await h.call('/api/v1/generate/add-instrumental', instrumental(uploadUrl, h.catcher.url));
    const taskId = pickString(created, 'data', 'taskId');
    await h.sim.control.idle();
    expect(h.catcher.received.at(-1)?.body).toEqual({
      code: 451,
      msg: 'could not download the input file',
      data: { callbackType: 'error', task_id: taskId, data: null },
    });
    const info = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
    expect(pick(info, 'data')).toMatchObject({ status: 'GENERATE_AUDIO_FAILED', errorCode: 451 });

    h.sim.control.setOptions({ uploadRetentionMs: 0 });
    expect((await fetch(await h.upload())).status).toBe(404);
  });

  it('serves byte ranges with 206 (416 out of range) and download links only for generated files', async () => {
    const h = await start();
    const uploadUrl = await h.upload();
    await h.call('/api/v1/generate/add-instrumental', instrumental(uploadUrl, h.catcher.url));
    await h.sim.control.idle();
    const audioUrl = pickString(h.catcher.received.at(-1)?.body, 'data', 'data', 1, 'audio_url');
    const full = new Uint8Array(await (await fetch(audioUrl)).arrayBuffer());
    const part = await fetch(audioUrl, { headers: { Range: 'bytes=100-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${full.length}`);
    expect(part.headers.get('content-length')).toBe('1000');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(full.subarray(100, 1100));
    const tail = await fetch(audioUrl, { headers: { Range: 'bytes=-10' } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(full.subarray(full.length - 10));
    expect((await fetch(audioUrl, { headers: { Range: `bytes=${full.length}-` } })).status).toBe(416);

    const link = await h.call('/api/v1/common/download-url', { url: audioUrl });
    expect(link).toMatchObject({ code: 200 });
    expect(new Uint8Array(await (await fetch(pickString(link, 'data'))).arrayBuffer())).toEqual(full);
    const foreign = await h.call('/api/v1/common/download-url', { url: uploadUrl });
    expect(foreign).toMatchObject({ code: 422, data: null });
    expect(pickString(foreign, 'msg').startsWith('url ')).toBe(true);
  });
});
