// The studio's audio route (electron/core/host/audio-route.ts) over real HTTP: a track's PCM cache as
// int16 (top 16 bits of each s24le sample) with Range support, the downloaded file, the task's source,
// refusals for missing tokens, bad ids and tracks not downloaded, and the batch route (several
// lanes' ranges in one answer) with its refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { parseRange } from '../../electron/core/host/http-range.ts';
import { batchQuery, MAX_BATCH_BYTES, MAX_BATCH_RANGES, type BatchRange } from '../../shared/pcm16-batch.ts';
import { batchParts } from '../helpers/batch-parts.ts';
import { startDemoServe, type DemoServe, type ServeHost } from '../helpers/demo-serve.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

let demo: DemoServe;
let host: ServeHost;
let dataDir: string;
let done: TaskView;

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${host.api.origin}${path}`, {
    headers: { authorization: `Bearer ${host.token}`, ...headers },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

beforeAll(async () => {
  demo = await startDemoServe('stemhook-audio-route-');
  ({ host, dataDir } = demo);
  const source = await writeToneMp3(join(dataDir, 'take.mp3'), { seconds: 1 });
  const submitted = await host.core.handlers['tasks.submit']({
    kind: 'add-instrumental',
    source: { path: source },
    title: 'Route',
    tags: 'pop',
    negativeTags: '',
  });
  for (let i = 0; i < 300; i++) {
    done = await host.core.handlers['tasks.get']({ id: submitted.id });
    if (done.state === 'complete' && done.tracks.every((t) => t.state === 'ready')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  await demo?.close();
});

function expectedInt16(trackId: string): Uint8Array {
  const pcmPath = host.core.store.tracks.get(trackId)?.pcm_path ?? '';
  const s24 = readFileSync(pcmPath);
  const out = new Uint8Array((s24.length / 3) * 2);
  for (let i = 0; i < s24.length / 3; i++) {
    out[2 * i] = s24[3 * i + 1] ?? 0;
    out[2 * i + 1] = s24[3 * i + 2] ?? 0;
  }
  return out;
}

describe('audio route', () => {
  it('streams the whole PCM cache as int16 LE, the top 16 bits of each sample', async () => {
    const track = done.tracks[0];
    expect(track?.state).toBe('ready');
    const res = await get(`/api/tracks/${track?.id}/pcm16`);
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.bytes.length).toBe((track?.sampleCount ?? 0) * (track?.channels ?? 0) * 2);
    expect(Buffer.from(res.bytes).equals(Buffer.from(expectedInt16(track?.id ?? '')))).toBe(true);
  });

  it('answers ranges, including ones that start mid-sample and run past the end', async () => {
    const id = done.tracks[0]?.id ?? '';
    const whole = expectedInt16(id);
    const mid = await get(`/api/tracks/${id}/pcm16`, { range: 'bytes=1001-200000' });
    expect(mid.status).toBe(206);
    expect(mid.headers.get('content-range')).toBe(`bytes 1001-200000/${whole.length}`);
    expect(Buffer.from(mid.bytes).equals(Buffer.from(whole.subarray(1001, 200001)))).toBe(true);
    const tail = await get(`/api/tracks/${id}/pcm16`, { range: `bytes=${whole.length - 10}-` });
    expect(Buffer.from(tail.bytes).equals(Buffer.from(whole.subarray(whole.length - 10)))).toBe(true);
    const suffix = await get(`/api/tracks/${id}/pcm16`, { range: 'bytes=-4' });
    expect([...suffix.bytes]).toEqual([...whole.subarray(whole.length - 4)]);
    const beyond = await get(`/api/tracks/${id}/pcm16`, { range: `bytes=${whole.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${whole.length}`);
  });

  it('serves the downloaded file and the task source, with their audio types', async () => {
    const file = await get(`/api/tracks/${done.tracks[0]?.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(file.bytes).equals(readFileSync(done.tracks[0]?.localPath ?? ''))).toBe(true);
    const source = await get(`/api/tasks/${done.id}/source`, { range: 'bytes=0-2' });
    expect(source.status).toBe(206);
    expect(source.bytes.length).toBe(3);
  });

  it('refuses a missing token, malformed or unknown ids, and other methods', async () => {
    const id = done.tracks[0]?.id ?? '';
    const anonymous = await fetch(`${host.api.origin}/api/tracks/${id}/pcm16`);
    expect(anonymous.status).toBe(401);
    expect((await get('/api/tracks/..%2F..%2Fetc%2Fpasswd/pcm16')).status).toBe(404);
    expect((await get('/api/tracks/00000000-0000-0000-0000-000000000000/pcm16')).status).toBe(404);
    expect((await get(`/api/tasks/${id}/source`)).status).toBe(404);
    const post = await fetch(`${host.api.origin}/api/tracks/${id}/pcm16`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
    });
    expect(post.status).toBe(405);
  });

  it('parses single byte ranges and ignores what it does not support', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-20', 100)).toEqual({ start: 80, end: 99 });
    expect(parseRange('bytes=5-1', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange(undefined, 100)).toBeNull();
  });
});

describe('audio route: several lanes in one request', () => {
  const batch = (query: string) => get(`/api/tracks/pcm16?${query}`);

  it('answers every asked range in order, each the bytes its single range gives', async () => {
    const [a, b] = done.tracks;
    const wholeA = expectedInt16(a?.id ?? '');
    const wholeB = expectedInt16(b?.id ?? '');
    expect(wholeA.length).toBeGreaterThan(40_000);
    const asked: BatchRange[] = [
      { trackId: b?.id ?? '', start: 4096, end: 8191 },
      { trackId: a?.id ?? '', start: 0, end: 65_535 },
      // Starts mid-sample; runs past the end (clamped, as a single range is).
      { trackId: a?.id ?? '', start: wholeA.length - 1001, end: wholeA.length + 5000 },
      { trackId: '00000000-0000-0000-0000-000000000000', start: 0, end: 99 },
      { trackId: b?.id ?? '', start: wholeB.length, end: wholeB.length + 10 },
    ];
    const res = await batch(batchQuery(asked));
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(res.bytes.length);
    const got = await batchParts(res.bytes, asked.length);
    expect(got.map((p) => p.status)).toEqual([206, 206, 206, 404, 416]);
    expect(got[0]?.bytes.equals(Buffer.from(wholeB.subarray(4096, 8192)))).toBe(true);
    expect(got[1]?.bytes.equals(Buffer.from(wholeA.subarray(0, 65_536)))).toBe(true);
    expect(got[2]?.bytes.equals(Buffer.from(wholeA.subarray(wholeA.length - 1001)))).toBe(true);
    expect(got[3]?.bytes.length).toBe(0);
    expect(got[4]?.bytes.length).toBe(0);
    const single = await get(`/api/tracks/${b?.id}/pcm16`, { range: 'bytes=4096-8191' });
    expect(got[0]?.bytes.equals(Buffer.from(single.bytes))).toBe(true);
  });

  it('refuses malformed, overlapping, too many or too large asks with 400, and needs the token', async () => {
    const id = done.tracks[0]?.id ?? '';
    const ok = batchQuery([{ trackId: id, start: 0, end: 9 }]);
    expect((await batch(ok)).status).toBe(200);
    const anonymous = await fetch(`${host.api.origin}/api/tracks/pcm16?${ok}`);
    expect(anonymous.status).toBe(401);
    const post = await fetch(`${host.api.origin}/api/tracks/pcm16?${ok}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
    });
    expect(post.status).toBe(405);
    const many = Array.from({ length: MAX_BATCH_RANGES + 1 }, (_, i) => ({
      trackId: id,
      start: i * 10,
      end: i * 10 + 9,
    }));
    const refused = [
      '',
      'ranges=',
      `ranges=${id}:0-9&ranges=${id}:10-19`,
      `${ok}&extra=1`,
      `ranges=${id}:9-0`,
      `ranges=${id}:-1-9`,
      `ranges=${id}:0-`,
      `ranges=${id}:a-9`,
      `ranges=${id}:0-9,${id}:5-20`,
      `ranges=${id}:0-9,${id}:0-9`,
      `ranges=${id}:0-${MAX_BATCH_BYTES}`,
      `ranges=${id}:0-99999999999999999999`,
      'ranges=..%2F..%2Fetc%2Fpasswd:0-9',
      'ranges=../../etc/passwd:0-9',
      `ranges=${id}%2F..:0-9`,
      `ranges=${'a'.repeat(129)}:0-9`,
      batchQuery(many),
    ];
    for (const query of refused) {
      const res = await batch(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.bytes.length).toBe(0);
    }
    // Exactly at the limits is fine: the most ranges, and the most bytes in one.
    expect((await batch(batchQuery(many.slice(1)))).status).toBe(200);
    expect((await batch(`ranges=${id}:0-${MAX_BATCH_BYTES - 1}`)).status).toBe(200);
  });

  it('is served on the local API only, never on the receiver port the tunnel forwards', async () => {
    const id = done.tracks[0]?.id ?? '';
    const receiverOrigin = host.core.receiver.callbackUrl.replace(host.core.receiver.path, '');
    const res = await fetch(
      `${receiverOrigin}/api/tracks/pcm16?${batchQuery([{ trackId: id, start: 0, end: 9 }])}`,
      {
        headers: { authorization: `Bearer ${host.token}` },
      },
    );
    expect(res.status).toBe(404);
  });
});
