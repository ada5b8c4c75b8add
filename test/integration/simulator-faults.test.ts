// Integration tests of the simulator's fault knobs: injected task failures (both music shapes, separation,
// CALLBACK_EXCEPTION, refunds), injected request failures, callback duplicates/shuffle/drop/skip and retries.
import { describe, expect, it } from 'vitest';
import { pick, pickString, type SimulatorHarness } from '../../electron/core/simulator/harness.ts';
import { simulatorPerTest } from '../helpers/simulators.ts';

const start = simulatorPerTest({ audioDurationSec: 1, stageDelayMs: 20, callbackRetryDelayMs: 10 });

/** Creates an add-instrumental task and waits until it has finished and its callbacks were attempted. */
async function runMusic(h: SimulatorHarness, callBackUrl = h.catcher.url): Promise<string> {
  const uploadUrl = await h.upload();
  const body = { uploadUrl, title: 'T', tags: 'pop', negativeTags: '', callBackUrl };
  const taskId = pickString(await h.call('/api/v1/generate/add-instrumental', body), 'data', 'taskId');
  await h.sim.control.idle();
  return taskId;
}

const stages = (h: SimulatorHarness): unknown[] =>
  h.catcher.received.map((c) => pick(c.body, 'data', 'callbackType'));

describe('KIE simulator: fault injection', () => {
  it('fails a music task at a chosen stage with the error-field shape', async () => {
    const h = await start();
    h.sim.control.failNextTask({
      stage: 'first',
      code: 501,
      msg: 'Audio generation failed.',
      shape: 'error-field',
    });
    const taskId = await runMusic(h);
    expect(stages(h)).toEqual(['text', 'error']);
    expect(h.catcher.received.at(-1)?.body).toEqual({
      code: 501,
      msg: 'Audio generation failed.',
      data: { callbackType: 'error', task_id: taskId, error: 'Audio generation failed.' },
    });
    const info = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
    expect(pick(info, 'data')).toMatchObject({
      status: 'GENERATE_AUDIO_FAILED',
      errorCode: 501,
      errorMessage: 'Audio generation failed.',
      response: { taskId, sunoData: [], errorMessage: 'Audio generation failed.' },
    });
  });

  it('fails with the null-data shape and the requested status, at create or text', async () => {
    const h = await start();
    h.sim.control.failNextTask({
      code: 400,
      msg: 'Instrumental generation failed',
      status: 'SENSITIVE_WORD_ERROR',
    });
    const sensitive = await runMusic(h);
    expect(h.catcher.received.map((c) => c.body)).toEqual([
      {
        code: 400,
        msg: 'Instrumental generation failed',
        data: { callbackType: 'error', task_id: sensitive, data: null },
      },
    ]);
    const status = async (taskId: string): Promise<unknown> =>
      pick(await h.call(`/api/v1/generate/record-info?taskId=${taskId}`), 'data', 'status');
    expect(await status(sensitive)).toBe('SENSITIVE_WORD_ERROR');
    h.sim.control.failNextTask({ stage: 'create', code: 500, msg: 'Internal Error' });
    expect(await status(await runMusic(h))).toBe('CREATE_TASK_FAILED');
  });

  it('refunds credits on code 531 and keeps tracks on CALLBACK_EXCEPTION without a final callback', async () => {
    const h = await start();
    h.sim.control.failNextTask({ stage: 'complete', code: 531, msg: 'Generation failed; credits refunded.' });
    await runMusic(h);
    expect(h.sim.control.credits()).toBe(500);
    h.sim.control.failNextTask({
      stage: 'complete',
      code: 500,
      msg: 'callback failed',
      status: 'CALLBACK_EXCEPTION',
    });
    const before = h.catcher.received.length;
    const taskId = await runMusic(h);
    expect(stages(h).slice(before)).toEqual(['text', 'first']);
    const info = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
    expect(pick(info, 'data')).toMatchObject({ status: 'CALLBACK_EXCEPTION', errorCode: 500 });
    expect(pick(info, 'data', 'response', 'sunoData', 'length')).toBe(2);
  });

  it('fails a separation with the documented null-info shape and failure flag', async () => {
    const h = await start();
    const taskId = await runMusic(h);
    const info = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
    const audioId = pickString(info, 'data', 'response', 'sunoData', 1, 'id');
    h.sim.control.failNextTask({ code: 500, msg: 'Vocal separation failed' });
    const body = { taskId, audioId, type: 'split_stem', callBackUrl: h.catcher.url };
    const sepId = pickString(await h.call('/api/v1/vocal-removal/generate', body), 'data', 'taskId');
    await h.sim.control.idle();
    expect(h.catcher.received.at(-1)?.body).toEqual({
      code: 500,
      msg: 'Vocal separation failed',
      data: { task_id: sepId, vocal_separation_info: null },
    });
    const sepInfo = await h.call(`/api/v1/vocal-removal/record-info?taskId=${sepId}`);
    expect(pick(sepInfo, 'data')).toMatchObject({
      successFlag: 'GENERATE_AUDIO_FAILED',
      errorCode: 500,
      response: null,
      musicIndex: 1,
    });
  });

  it('answers the next request with an injected envelope, HTML page or delay, then recovers', async () => {
    const { sim, call } = await start();
    const auth = { headers: { Authorization: `Bearer ${sim.control.options().apiKey}` } };
    sim.control.failNextRequest({ code: 455 });
    expect(await call('/api/v1/chat/credit')).toEqual({
      code: 455,
      msg: 'The system is under maintenance, please try again later.',
      data: null,
    });
    sim.control.failNextRequest({ httpStatus: 502, body: '<html><body>Bad Gateway</body></html>' });
    const html = await fetch(`${sim.apiUrl}/api/v1/chat/credit`, auth);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('Bad Gateway');
    sim.control.failNextRequest({ httpStatus: 500 });
    expect((await fetch(`${sim.apiUrl}/api/v1/chat/credit`, auth)).status).toBe(500);
    sim.control.failNextRequest({ code: 401, msg: 'Authentication failed: Invalid API Key' });
    const uploadBody = { base64Data: 'AAAA', uploadPath: 'a' };
    expect(await call('/api/file-base64-upload', uploadBody, { base: sim.uploadUrl })).toEqual({
      success: false,
      code: 401,
      msg: 'Authentication failed: Invalid API Key',
      data: null,
    });
    sim.control.failNextRequest({ delayMs: 50 });
    expect(await call('/api/v1/chat/credit')).toMatchObject({ code: 200 });
    sim.control.failNextRequest({ delayMs: 60_000, code: 500 });
    const hung = fetch(`${sim.apiUrl}/api/v1/chat/credit`, { ...auth, signal: AbortSignal.timeout(200) });
    await expect(hung).rejects.toThrow();
    expect(await call('/api/v1/chat/credit')).toMatchObject({ code: 200 });
  });

  it('duplicates, shuffles, drops and skips callbacks on request', async () => {
    const h = await start({ duplicateCallbacks: 2 });
    await runMusic(h);
    expect(stages(h)).toEqual(['text', 'text', 'first', 'first', 'complete', 'complete']);

    h.catcher.received.length = 0;
    h.sim.control.setOptions({ duplicateCallbacks: 1, shuffleCallbacks: true });
    await runMusic(h);
    expect([...stages(h)].sort()).toEqual(['complete', 'first', 'text']);
    expect(stages(h)).not.toEqual(['text', 'first', 'complete']);

    h.catcher.received.length = 0;
    h.sim.control.setOptions({ shuffleCallbacks: false, skipIntermediateStages: true, trackCount: 1 });
    await runMusic(h);
    expect(stages(h)).toEqual(['complete']);
    expect(pick(h.catcher.received[0]?.body, 'data', 'data', 'length')).toBe(1);

    h.catcher.received.length = 0;
    const logged = h.sim.control.callbackLog().length;
    h.sim.control.setOptions({ skipIntermediateStages: false, dropCallbacks: true });
    const dropped = await runMusic(h);
    expect(h.catcher.received).toEqual([]);
    expect(h.sim.control.callbackLog()).toHaveLength(logged);
    const info = await h.call(`/api/v1/generate/record-info?taskId=${dropped}`);
    expect(pick(info, 'data', 'status')).toBe('SUCCESS');
  });

  it('retries failed deliveries up to three times and never contacts non-loopback hosts', async () => {
    const h = await start({ skipIntermediateStages: true });
    h.catcher.respondWith((n) => (n <= 2 ? 500 : 200));
    const taskId = await runMusic(h, `${h.catcher.url}/retry`);
    const attempts = h.sim.control.callbackLog().filter((e) => e.taskId === taskId);
    expect(attempts.map((e) => [e.attempt, e.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(h.catcher.received).toHaveLength(1);

    h.catcher.respondWith(() => 503);
    const failing = await runMusic(h);
    const failingLog = h.sim.control.callbackLog().filter((e) => e.taskId === failing);
    expect(failingLog.map((e) => e.attempt)).toEqual([1, 2, 3, 4]);

    const remote = await runMusic(h, 'https://example.com/no-op');
    expect(h.sim.control.callbackLog().filter((e) => e.taskId === remote)).toEqual([
      expect.objectContaining({ url: 'https://example.com/no-op', status: null, attempt: 1 }),
    ]);
    expect(h.sim.control.tasks().find((t) => t.taskId === remote)?.status).toBe('SUCCESS');
  });
});
