// KIE client against a scripted fake KIE (API host + upload host) on loopback: bodies, errors, retries, pacing.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKieClient, KieError } from '../../electron/core/kie/index.ts';
import type { KieClient, KieClientOptions } from '../../electron/core/kie/index.ts';

const API_KEY = 'sk-test-SECRET-7f3a9c0d1e2b4a5f';
const CALLBACK = 'https://example.com/no-op';
const TASK = '3f9c2b7d1e6a48c0b5d2e7f1a9c4b8d6';
const AUDIO = '0b8e1c52-7a3d-4f69-9d0e-5c2a1f7b3e44';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
interface Reply {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  hang?: boolean;
}
type Handler = (req: Recorded) => Reply;
interface Fake {
  url: string;
  port: number;
  requests: Recorded[];
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function startFake(handler: Handler = () => ok({ taskId: TASK }), port = 0): Promise<Fake> {
  const requests: Recorded[] = [];
  let current = handler;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const reply = current(recorded);
      if (reply.hang === true) return;
      const text = reply.text ?? JSON.stringify(reply.json);
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const fake: Fake = {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    setHandler: (h) => (current = h),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(fake.close);
  return fake;
}

function ok(data: unknown): Reply {
  return { json: { code: 200, msg: 'success', data } };
}

function script(...replies: Reply[]): Handler {
  return () => (replies.length > 1 ? replies.shift() : replies[0]) ?? ok(null);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function makeClient(
  api: string,
  extra: Partial<KieClientOptions> = {},
): { client: KieClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = createKieClient({
    apiKey: API_KEY,
    baseUrl: api,
    uploadBaseUrl: extra.uploadBaseUrl ?? api,
    random: () => 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { client, sleeps };
}

async function caught(promise: Promise<unknown>): Promise<KieError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KieError) return error;
    throw error;
  }
  throw new Error('expected a KieError');
}

const instrumental = {
  uploadUrl: 'https://tempfile.redpandaai.co/kieai/1/audio/vox.mp3',
  title: 'Harbor Lights (band version)',
  tags: 'indie folk, acoustic guitar',
  negativeTags: 'edm',
  callBackUrl: CALLBACK,
};

function jsonOf(req: Recorded | undefined): unknown {
  return JSON.parse(req?.body.toString('utf8') ?? 'null');
}

describe('requests KIE receives', () => {
  it('add-instrumental sends the documented JSON with Bearer auth and returns the task id', async () => {
    const fake = await startFake();
    const { client } = makeClient(fake.url);
    const result = await client.addInstrumental({
      ...instrumental,
      vocalGender: 'f',
      styleWeight: 0.7,
      audioWeight: 0.8,
    });
    expect(result).toEqual({ taskId: TASK });
    const req = fake.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/api/v1/generate/add-instrumental');
    expect(req?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(jsonOf(req)).toEqual({
      ...instrumental,
      model: 'V4_5PLUS',
      vocalGender: 'f',
      styleWeight: 0.7,
      audioWeight: 0.8,
    });
  });

  it('add-vocals sends prompt and style instead of tags', async () => {
    const fake = await startFake();
    const { client } = makeClient(fake.url);
    const input = {
      uploadUrl: 'https://tempfile.redpandaai.co/kieai/1/audio/beat.mp3',
      prompt: '[Verse]\nNeon on the water',
      title: 'Hold the Night',
      style: 'synth pop',
      negativeTags: 'screaming',
      callBackUrl: CALLBACK,
      model: 'V5' as const,
    };
    await client.addVocals(input);
    expect(fake.requests[0]?.url).toBe('/api/v1/generate/add-vocals');
    expect(jsonOf(fake.requests[0])).toEqual(input);
  });

  it('separate sends form A (task + audio id) and form B (audioUrl) bodies', async () => {
    const fake = await startFake();
    const { client } = makeClient(fake.url);
    await client.separate({ taskId: TASK, audioId: AUDIO, type: 'separate_vocal', callBackUrl: CALLBACK });
    await client.separate({
      audioUrl: 'https://tempfile.redpandaai.co/x/mix.mp3',
      type: 'split_stem',
      callBackUrl: CALLBACK,
    });
    expect(fake.requests.map((r) => r.url)).toEqual([
      '/api/v1/vocal-removal/generate',
      '/api/v1/vocal-removal/generate',
    ]);
    expect(jsonOf(fake.requests[0])).toEqual({
      taskId: TASK,
      audioId: AUDIO,
      type: 'separate_vocal',
      callBackUrl: CALLBACK,
    });
    expect(jsonOf(fake.requests[1])).toEqual({
      audioUrl: 'https://tempfile.redpandaai.co/x/mix.mp3',
      type: 'split_stem',
      callBackUrl: CALLBACK,
    });
  });

  it('convertToWav posts taskId, audioId and callBackUrl', async () => {
    const fake = await startFake();
    const { client } = makeClient(fake.url);
    expect(await client.convertToWav({ taskId: TASK, audioId: AUDIO, callBackUrl: CALLBACK })).toEqual({
      taskId: TASK,
    });
    expect(fake.requests[0]?.url).toBe('/api/v1/wav/generate');
    expect(jsonOf(fake.requests[0])).toEqual({ taskId: TASK, audioId: AUDIO, callBackUrl: CALLBACK });
  });

  it('the three record-info reads GET the right path and hand back `data` untouched', async () => {
    const data = {
      taskId: TASK,
      status: 'SUCCESS',
      response: { sunoData: [{ id: AUDIO }] },
      extra: [1, 'x'],
    };
    const fake = await startFake(() => ok(data));
    const { client } = makeClient(fake.url);
    expect(await client.musicRecordInfo(TASK)).toEqual(data);
    expect(await client.separationRecordInfo('id with/odd&chars')).toEqual(data);
    expect(await client.wavRecordInfo(TASK)).toEqual(data);
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /api/v1/generate/record-info?taskId=${TASK}`,
      'GET /api/v1/vocal-removal/record-info?taskId=id%20with%2Fodd%26chars',
      `GET /api/v1/wav/record-info?taskId=${TASK}`,
    ]);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('credits accepts a fractional balance', async () => {
    const fake = await startFake(() => ok(671.92));
    const { client } = makeClient(fake.url);
    expect(await client.credits()).toBe(671.92);
    expect(fake.requests[0]?.url).toBe('/api/v1/chat/credit');
  });
});

describe('uploads go to the upload host', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stemhook-kie-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
  });

  const uploaded = (name: string, size: number): Reply => ({
    json: {
      success: true,
      code: 200,
      msg: 'File uploaded successfully',
      data: { fileName: name, downloadUrl: `https://tempfile.example/kieai/${name}`, fileSize: size },
    },
  });

  it('streams a 3 MB file as multipart with file, uploadPath and fileName, bytes intact', async () => {
    const api = await startFake();
    const upload = await startFake(() => uploaded('take.wav', 3 * 1024 * 1024));
    const bytes = randomBytes(3 * 1024 * 1024);
    const path = join(dir, 'take.wav');
    await writeFile(path, bytes);
    const progress: Array<[number, number]> = [];
    const { client } = makeClient(api.url, { uploadBaseUrl: upload.url });
    const result = await client.uploadFile({
      path,
      fileName: 'take.wav',
      uploadPath: '/stemhook/tests/',
      onProgress: (sent, total) => progress.push([sent, total]),
    });
    expect(result).toEqual({
      downloadUrl: 'https://tempfile.example/kieai/take.wav',
      fileName: 'take.wav',
      fileSize: bytes.length,
    });
    expect(api.requests).toHaveLength(0);
    const req = upload.requests[0];
    expect(req?.url).toBe('/api/file-stream-upload');
    expect(req?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(Number(req?.headers['content-length'])).toBe(req?.body.length);
    const parts = parseMultipart(req);
    expect(parts.get('uploadPath')?.data.toString()).toBe('stemhook/tests');
    expect(parts.get('fileName')?.data.toString()).toBe('take.wav');
    const file = parts.get('file');
    expect(file?.headers).toContain('filename="take.wav"');
    expect(file?.headers).toContain('Content-Type: audio/wav');
    expect(sha(file?.data)).toBe(sha(bytes));
    expect(progress[0]).toEqual([0, bytes.length]);
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(progress.every(([sent], i) => i === 0 || sent >= (progress[i - 1]?.[0] ?? 0))).toBe(true);
  });

  it('sends a small file as base64 JSON and names it uniquely when no name is given', async () => {
    const api = await startFake();
    const upload = await startFake((req) => {
      const body = JSON.parse(req.body.toString()) as { fileName: string };
      return uploaded(body.fileName, 2048);
    });
    const bytes = randomBytes(2048);
    const path = join(dir, 'vox take.mp3');
    await writeFile(path, bytes);
    const { client } = makeClient(api.url, { uploadBaseUrl: upload.url });
    const result = await client.uploadFile({ path });
    const req = upload.requests[0];
    expect(req?.url).toBe('/api/file-base64-upload');
    expect(req?.headers['content-type']).toBe('application/json');
    const body = jsonOf(req) as { base64Data: string; uploadPath: string; fileName: string };
    expect(body.uploadPath).toBe('stemhook/uploads');
    expect(body.fileName).toMatch(/^vox-take-[0-9a-f]{8}\.mp3$/);
    expect(body.base64Data.startsWith('data:audio/mpeg;base64,')).toBe(true);
    expect(Buffer.from(body.base64Data.split(',')[1] ?? '', 'base64').equals(bytes)).toBe(true);
    expect(result.fileName).toBe(body.fileName);
  });

  it('classifies an upload-host error envelope and a wrong-host 404', async () => {
    const path = join(dir, 'a.mp3');
    await writeFile(path, randomBytes(10));
    const upload = await startFake(() => ({
      json: { success: false, code: 401, msg: 'Authentication failed: Invalid API Key' },
    }));
    const auth = await caught(makeClient(upload.url).client.uploadFile({ path }));
    expect(auth.code).toBe('auth');
    const wrongHost = await startFake(() => ({ status: 404, json: { msg: 'No message available' } }));
    const missing = await caught(makeClient(wrongHost.url).client.uploadFile({ path }));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/upload host/);
  });

  it('refuses a missing local file before any request', async () => {
    const upload = await startFake();
    const error = await caught(makeClient(upload.url).client.uploadFile({ path: join(dir, 'nope.mp3') }));
    expect(error.code).toBe('validation');
    expect(error.fields.map((f) => f.field)).toEqual(['path']);
    expect(upload.requests).toHaveLength(0);
  });
});

const CREDITS_MSG = 'The current credits are insufficient. Please top up.';
const HTML_502 =
  '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
const classificationTable: Array<[string, Reply, string, number | null]> = [
  [
    'HTTP 200 + code 401',
    { json: { code: 401, msg: 'You do not have access permissions', data: null } },
    'auth',
    401,
  ],
  ['HTTP 200 + code 402', { json: { code: 402, msg: CREDITS_MSG, data: null } }, 'insufficient_credits', 402],
  ['sunoapi 429 credits text', { json: { code: 429, msg: CREDITS_MSG } }, 'insufficient_credits', 429],
  ['kie 429 rate limit', { json: { code: 429, msg: 'Too many requests' } }, 'rate_limited', 429],
  ['real HTTP 429', { status: 429, json: { code: 429, msg: 'rate limited' } }, 'rate_limited', 429],
  ['sunoapi 405', { json: { code: 405, msg: 'Rate limit exceeded' } }, 'rate_limited', 405],
  ['sunoapi 430', { json: { code: 430, msg: 'Call frequency too high' } }, 'rate_limited', 430],
  ['422', { json: { code: 422, msg: 'title is required' } }, 'validation', 422],
  [
    '422 recordInfo is null',
    { json: { code: 422, msg: 'recordInfo is null', data: null } },
    'not_found',
    422,
  ],
  ['400', { json: { code: 400, msg: 'format error' } }, 'validation', 400],
  ['413', { json: { code: 413, msg: 'Prompt too long' } }, 'validation', 413],
  ['451', { json: { code: 451, msg: 'Failed to fetch the image' } }, 'file_unreachable', 451],
  ['455', { json: { code: 455, msg: 'Service under maintenance' } }, 'maintenance', 455],
  ['500 in body', { json: { code: 500, msg: 'Server error' } }, 'server', 500],
  ['501', { json: { code: 501, msg: 'Generation failed' } }, 'generation_failed', 501],
  ['505', { json: { code: 505, msg: 'Feature disabled' } }, 'feature_disabled', 505],
  ['408', { json: { code: 408, msg: 'Timeout' } }, 'timeout', 408],
  ['409', { json: { code: 409, msg: 'WAV record already exists' } }, 'conflict', 409],
  ['433', { json: { code: 433, msg: 'Sub-key usage exceeds limit' } }, 'sub_key_limit', 433],
  [
    'HTTP 404 No message available',
    { status: 404, json: { timestamp: 1, status: 404, error: 'Not Found', message: 'No message available' } },
    'not_found',
    404,
  ],
  ['HTML 502 page', { status: 502, text: HTML_502, contentType: 'text/html' }, 'server', null],
  ['HTTP 200 non-JSON', { text: 'OK', contentType: 'text/plain' }, 'bad_response', null],
  ['HTTP 200 JSON without code', { json: { hello: 'world' } }, 'bad_response', null],
];

describe('error classification over both code families', () => {
  it.each(classificationTable)('%s', async (_name, reply, expected, kieCode) => {
    const fake = await startFake(() => reply);
    const error = await caught(makeClient(fake.url, { maxRetries: 0 }).client.credits());
    expect(error.code).toBe(expected);
    expect(error.kieCode).toBe(kieCode);
    expect(error.httpStatus).toBe(reply.status ?? 200);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('gives an actionable credits message', async () => {
    const fake = await startFake(() => ({ json: { code: 402, msg: CREDITS_MSG } }));
    const error = await caught(makeClient(fake.url).client.addInstrumental(instrumental));
    expect(error.message).toBe(
      'Your KIE balance is too low for this operation. Top up at kie.ai, then retry.',
    );
    expect(error.retryable).toBe(false);
  });

  it('times out on a server that never answers', async () => {
    const fake = await startFake(() => ({ hang: true }));
    const error = await caught(makeClient(fake.url, { timeoutMs: 150, maxRetries: 0 }).client.credits());
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('reports a refused connection as a network error that never reached KIE', async () => {
    const port = await freePort();
    const error = await caught(makeClient(`http://127.0.0.1:${port}`, { maxRetries: 0 }).client.credits());
    expect(error.code).toBe('network');
    expect(error.mayHaveReachedKie).toBe(false);
  });

  it('explains that KIE rejected uploaded audio for separation (form B, 422)', async () => {
    const fake = await startFake(() => ({ json: { code: 422, msg: 'audioId is required' } }));
    const error = await caught(
      makeClient(fake.url).client.separate({
        audioUrl: 'https://x.example/a.mp3',
        type: 'separate_vocal',
        callBackUrl: CALLBACK,
      }),
    );
    expect(error.code).toBe('feature_disabled');
    expect(error.message).toContain(
      'KIE does not accept uploaded audio for stem separation on this account/API version',
    );
    expect(error.kieCode).toBe(422);
  });
});

describe('retries', () => {
  it('retries record-info on 500 with growing delays, then succeeds', async () => {
    const fake = await startFake(
      script({ status: 500, text: 'boom' }, { json: { code: 500, msg: 'error' } }, ok({ taskId: TASK })),
    );
    const { client, sleeps } = makeClient(fake.url);
    expect(await client.musicRecordInfo(TASK)).toEqual({ taskId: TASK });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('gives up on safe calls after maxRetries', async () => {
    const fake = await startFake(() => ({ status: 502, text: HTML_502 }));
    const { client } = makeClient(fake.url, { maxRetries: 2 });
    expect((await caught(client.credits())).code).toBe('server');
    expect(fake.requests).toHaveLength(3);
  });

  it('never retries a create after a 500: it may have created a billed task', async () => {
    const fake = await startFake(() => ({ status: 500, json: { code: 500, msg: 'Server error' } }));
    const { client, sleeps } = makeClient(fake.url);
    const error = await caught(client.addInstrumental(instrumental));
    expect(error.code).toBe('server');
    expect(error.mayHaveReachedKie).toBe(true);
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('never retries a create after a timeout', async () => {
    const fake = await startFake(() => ({ hang: true }));
    const { client } = makeClient(fake.url, { timeoutMs: 150 });
    expect(
      (await caught(client.convertToWav({ taskId: TASK, audioId: AUDIO, callBackUrl: CALLBACK }))).code,
    ).toBe('timeout');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a create after a 429 rate limit, waiting longer than ordinary backoff', async () => {
    const fake = await startFake(
      script({ json: { code: 429, msg: 'Too many requests' } }, ok({ taskId: TASK })),
    );
    const { client, sleeps } = makeClient(fake.url);
    expect(await client.addInstrumental(instrumental)).toEqual({ taskId: TASK });
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('retries a create when the connection was refused, since nothing was sent', async () => {
    const port = await freePort();
    const servers: Fake[] = [];
    const client = createKieClient({
      apiKey: API_KEY,
      baseUrl: `http://127.0.0.1:${port}`,
      uploadBaseUrl: `http://127.0.0.1:${port}`,
      sleep: async () => {
        if (servers.length === 0) servers.push(await startFake(undefined, port));
      },
    });
    expect(await client.addVocals({ ...instrumental, prompt: 'la la', style: 'pop' })).toEqual({
      taskId: TASK,
    });
    expect(servers[0]?.requests).toHaveLength(1);
  });
});

describe('rate limiting (injected clock, no real waiting)', () => {
  function fakeClock() {
    const clock = { t: 0, sleeps: [] as number[], gate: null as Promise<void> | null };
    return {
      clock,
      now: () => clock.t,
      sleep: async (ms: number) => {
        clock.sleeps.push(ms);
        if (clock.gate) await clock.gate;
        clock.t += ms;
      },
    };
  }

  /** A client of `fake` whose waits run on the fake clock. */
  function clockedClient(fake: { url: string }, clock: Pick<ReturnType<typeof fakeClock>, 'now' | 'sleep'>) {
    return createKieClient({
      apiKey: API_KEY,
      baseUrl: fake.url,
      uploadBaseUrl: fake.url,
      now: clock.now,
      sleep: clock.sleep,
    });
  }

  it('holds the 21st create in a rolling 10 s window instead of failing', async () => {
    const { clock, now, sleep } = fakeClock();
    const seenAt: number[] = [];
    const fake = await startFake(() => {
      seenAt.push(clock.t);
      return ok({ taskId: TASK });
    });
    const client = clockedClient(fake, { now, sleep });
    for (let i = 0; i < 25; i += 1) await client.addInstrumental(instrumental);
    expect(clock.sleeps).toEqual([10_000]);
    expect(seenAt.filter((t) => t === 0)).toHaveLength(20);
    expect(seenAt.filter((t) => t === 10_000)).toHaveLength(5);
  });

  it('lets only 20 concurrent creates through until the window moves', async () => {
    const { clock, now, sleep } = fakeClock();
    let release: () => void = () => undefined;
    clock.gate = new Promise<void>((resolve) => (release = resolve));
    const fake = await startFake();
    const client = clockedClient(fake, { now, sleep });
    const all = Promise.all(Array.from({ length: 25 }, () => client.addInstrumental(instrumental)));
    await vi.waitFor(() => expect(fake.requests).toHaveLength(20));
    await vi.waitFor(() => expect(clock.sleeps).toHaveLength(5));
    expect(fake.requests).toHaveLength(20);
    release();
    expect(await all).toHaveLength(25);
    expect(fake.requests).toHaveLength(25);
  });

  it('polls one task id at most 3 times per second, other ids independently', async () => {
    const { clock, now, sleep } = fakeClock();
    const fake = await startFake(() => ok({ taskId: TASK }));
    const client = clockedClient(fake, { now, sleep });
    for (const id of ['a', 'b', 'c', 'd']) await client.musicRecordInfo(id);
    expect(clock.sleeps).toEqual([]);
    for (let i = 0; i < 4; i += 1) await client.musicRecordInfo(TASK);
    expect(clock.sleeps).toEqual([1000]);
    expect(fake.requests).toHaveLength(8);
  });
});

describe('validation and secrets', () => {
  it('rejects invalid input before sending, naming every bad field', async () => {
    const fake = await startFake();
    const { client } = makeClient(fake.url);
    const error = await caught(
      client.addInstrumental({
        ...instrumental,
        title: '',
        tags: 'x'.repeat(1001),
        styleWeight: 1.5,
        callBackUrl: 'nope',
      }),
    );
    expect(error.code).toBe('validation');
    expect(error.fields.map((f) => f.field).sort()).toEqual(['callBackUrl', 'styleWeight', 'tags', 'title']);
    for (const field of ['title', 'tags', 'styleWeight', 'callBackUrl'])
      expect(error.message).toContain(field);
    const both = await caught(
      client.separate({
        taskId: TASK,
        audioId: AUDIO,
        audioUrl: 'https://x.example/a.mp3',
        type: 'split_stem',
        callBackUrl: CALLBACK,
      } as never),
    );
    expect(both.fields.map((f) => f.field)).toEqual(['audioUrl']);
    expect(fake.requests).toHaveLength(0);
  });

  it('never puts the API key in an error message or stack', async () => {
    const echo = await startFake((req) => ({
      json: { code: 401, msg: `Invalid key ${String(req.headers.authorization)}` },
    }));
    const page = await startFake((req) => ({
      status: 502,
      text: `<h1>bad ${String(req.headers.authorization)}</h1>`,
    }));
    const silent = await startFake(() => ({ hang: true }));
    const refused = `http://127.0.0.1:${await freePort()}`;
    const errors = [
      await caught(makeClient(echo.url).client.credits()),
      await caught(makeClient(page.url, { maxRetries: 0 }).client.musicRecordInfo(TASK)),
      await caught(makeClient(silent.url, { timeoutMs: 100 }).client.addInstrumental(instrumental)),
      await caught(makeClient(refused, { maxRetries: 0 }).client.credits()),
      await caught(
        makeClient(echo.url).client.addInstrumental({ ...instrumental, title: API_KEY.repeat(5) }),
      ),
    ];
    expect(errors[0]?.code).toBe('auth');
    for (const error of errors) {
      const text = `${error.message}\n${error.stack ?? ''}\n${error.kieMessage ?? ''}\n${JSON.stringify(error)}`;
      expect(text).not.toContain(API_KEY);
    }
    expect(errors[0]?.kieMessage).toContain('[redacted]');
  });
});

function sha(data: Buffer | undefined): string {
  return createHash('sha256')
    .update(data ?? Buffer.alloc(0))
    .digest('hex');
}

/** Minimal multipart/form-data reader, enough to check what the client wrote. */
function parseMultipart(req: Recorded | undefined): Map<string, { headers: string; data: Buffer }> {
  const boundary = /boundary=(.+)$/.exec(String(req?.headers['content-type']))?.[1] ?? '';
  const body = req?.body ?? Buffer.alloc(0);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, { headers: string; data: Buffer }>();
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const name = /name="([^"]+)"/.exec(headers)?.[1] ?? '';
    parts.set(name, { headers, data: part.subarray(split + 4) });
    start = next;
  }
  return parts;
}
