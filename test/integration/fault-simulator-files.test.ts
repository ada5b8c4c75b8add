// The simulator's CDN knobs the fault suites rely on: every fileFault breaks a result download the
// documented way, fileBytesPerSecond delivers intact bytes slowly, and callbackTunnel stands in for ngrok.
import { describe, expect, it } from 'vitest';
import { get } from 'node:http';
import type { SimulatorOptions } from '../../electron/core/simulator/index.ts';
import { pickString, type SimulatorHarness } from '../../electron/core/simulator/harness.ts';
import { simulatorPerTest } from '../helpers/simulators.ts';

const start = simulatorPerTest({ audioDurationSec: 1, stageDelayMs: 20 });

/** Creates an add-instrumental task that calls back to `callBackUrl`, and waits until the simulator is idle. */
async function generateTake(h: SimulatorHarness, callBackUrl: string): Promise<void> {
  const uploadUrl = await h.upload();
  await h.call('/api/v1/generate/add-instrumental', {
    uploadUrl,
    title: 'T',
    tags: 'pop',
    negativeTags: '',
    callBackUrl,
  });
  await h.sim.control.idle();
}

async function withTake(
  options: Partial<SimulatorOptions> = {},
): Promise<{ h: SimulatorHarness; url: string; bytes: Buffer }> {
  const h = await start(options);
  await generateTake(h, `${h.catcher.url}/kie/route`);
  const url = pickString(h.catcher.received.at(-1)?.body, 'data', 'data', 0, 'audio_url');
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  return { h, url, bytes };
}

interface RawGet {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  received: Buffer;
  chunks: number;
  /** How the body ended: complete, cut by the server, or still open when we gave up waiting. */
  ending: 'end' | 'aborted' | 'waiting';
}

/** GET without a client library's own checks, so a short or stalled body is observed as it is. */
function rawGet(url: string, waitMs = 400): Promise<RawGet> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false }, (res) => {
      const parts: Buffer[] = [];
      let settled = false;
      const finish = (ending: RawGet['ending']): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        const received = Buffer.concat(parts);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          received,
          chunks: parts.length,
          ending,
        });
      };
      const timer = setTimeout(() => finish('waiting'), waitMs);
      res.on('data', (chunk: Buffer) => {
        parts.push(chunk);
        timer.refresh();
      });
      res.on('end', () => finish('end'));
      res.on('aborted', () => finish('aborted'));
      res.on('error', () => finish('aborted'));
      res.on('close', () => finish(res.complete ? 'end' : 'aborted'));
    });
    req.on('error', reject);
  });
}

describe('simulator result-file faults', () => {
  it('serves 404, an HTML page, a 4 GB claim, a stall and a truncation, then intact again', async () => {
    const { h, url, bytes } = await withTake();
    h.sim.control.setOptions({ fileFault: 'not_found' });
    expect((await rawGet(url)).status).toBe(404);

    h.sim.control.setOptions({ fileFault: 'not_audio' });
    const page = await rawGet(url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.received.toString('utf8')).toMatch(/^<!DOCTYPE html>/);

    h.sim.control.setOptions({ fileFault: 'oversize' });
    const huge = await rawGet(url, 200);
    expect(huge.headers['content-length']).toBe(String(4 * 1024 ** 3));
    expect(huge.received.length).toBe(0);

    h.sim.control.setOptions({ fileFault: 'stall' });
    const stalled = await rawGet(url, 300);
    expect(stalled.headers['content-length']).toBe(String(bytes.length));
    expect(stalled.ending).toBe('waiting');
    expect(stalled.received.length).toBeGreaterThan(0);
    expect(stalled.received.length).toBeLessThan(bytes.length);
    expect(stalled.received.equals(bytes.subarray(0, stalled.received.length))).toBe(true);

    h.sim.control.setOptions({ fileFault: 'truncate' });
    const cut = await rawGet(url);
    expect(cut.ending).toBe('aborted');
    expect(cut.received.length).toBe(Math.floor(bytes.length / 2));

    h.sim.control.setOptions({ fileFault: null });
    const intact = await rawGet(url);
    expect(intact.ending).toBe('end');
    expect(intact.received.equals(bytes)).toBe(true);
  });

  it('throttles audio in many small slices with every byte intact, and leaves uploads and images alone', async () => {
    const { h, url, bytes } = await withTake();
    h.sim.control.setOptions({ fileBytesPerSecond: Math.ceil(bytes.length / 0.5) });
    const slow = await rawGet(url, 2000);
    expect(slow.ending).toBe('end');
    expect(slow.received.equals(bytes)).toBe(true);
    expect(slow.chunks).toBeGreaterThanOrEqual(5);

    h.sim.control.setOptions({ fileBytesPerSecond: 0, fileFault: 'not_found' });
    const image = pickString(h.catcher.received.at(-1)?.body, 'data', 'data', 0, 'image_url');
    expect((await rawGet(image)).status).toBe(200);
    expect((await rawGet(await h.upload())).status).toBe(200);
  });

  it('delivers callbacks addressed to the tunnel URL to the local receiver, same path', async () => {
    const h = await start();
    h.sim.control.setOptions({
      callbackTunnel: { publicUrl: 'https://stemhook-test.invalid/', localUrl: h.catcher.url },
    });
    await generateTake(h, 'https://stemhook-test.invalid/kie/secret-token');
    expect(h.catcher.received.map((c) => c.path)).toEqual([
      '/kie/secret-token',
      '/kie/secret-token',
      '/kie/secret-token',
    ]);
    expect(h.sim.control.callbackLog().every((e) => e.status === 200)).toBe(true);
  });
});
