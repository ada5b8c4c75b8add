// The desktop audio scheme's request→response logic on real files: ranges (seeking), the int16 view
// of the PCM cache, and every way a URL or a store path could try to leave the library folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createServer, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLibraryResponder,
  resolveRequestPath,
  type AudioLookup,
  type FileRequest,
} from '../../electron/core/host/library-files.ts';
import { pcmToInt16 } from '../../electron/core/audio/index.ts';
import { sendBody } from '../../electron/core/host/send-body.ts';
import { until } from '../helpers/until.ts';
import { BATCH_PATH, batchQuery, type BatchRange } from '../../shared/pcm16-batch.ts';
import { batchParts } from '../helpers/batch-parts.ts';

const TASK = '0b6f1c1e-1111-4a4a-8888-000000000001';
const TRACK = '0b6f1c1e-2222-4a4a-8888-000000000002';
const ROGUE = '0b6f1c1e-3333-4a4a-8888-000000000003';
/** A track whose recorded cache is a link out of the library, and one whose "cache" is the database. */
const LINKED_PCM = '0b6f1c1e-4444-4a4a-8888-000000000004';
const DB_AS_PCM = '0b6f1c1e-5555-4a4a-8888-000000000005';
/** A cache cut short after the answer's headers went out (a full disk, a crash while it was written). */
const SHRINKING = '0b6f1c1e-6666-4a4a-8888-000000000006';
/** A track whose store read fails (another process holds the lock, the disk errs). */
const STORE_FAULT = '0b6f1c1e-7777-4a4a-8888-000000000007';

let root: string;
let library: string;
let outside: string;
const mp3 = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const pcm = Buffer.from(Array.from({ length: 3 * 8 }, (_, i) => (i * 37) % 256));
let respond: (request: FileRequest) => ReturnType<ReturnType<typeof createLibraryResponder>>;

async function bytes(body: Readable | null): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const get = (pathname: string, range?: string) => respond({ method: 'GET', pathname, range: range ?? null });
const getBatch = (ranges: BatchRange[]) =>
  respond({ method: 'GET', pathname: BATCH_PATH, search: `?${batchQuery(ranges)}` });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stemhook-libfiles-'));
  library = join(root, 'library');
  outside = join(root, 'outside');
  mkdirSync(join(library, TASK), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(library, TASK, `${TRACK}.mp3`), mp3);
  writeFileSync(join(library, TASK, `${TRACK}.pcm`), pcm);
  writeFileSync(join(library, TASK, 'notes.json'), '{}');
  writeFileSync(join(library, 'stemhook.db'), 'not audio');
  writeFileSync(join(outside, 'secret.mp3'), 'outside the library');
  writeFileSync(join(root, 'stemhook.db'), 'the database');
  symlinkSync(join(outside, 'secret.mp3'), join(library, TASK, 'escape.mp3'));
  symlinkSync(outside, join(library, 'linked-dir'));
  symlinkSync(join(library, TASK, `${TRACK}.mp3`), join(library, TASK, 'alias.mp3'));
  writeFileSync(join(outside, 'secret.pcm'), Buffer.alloc(30, 7));
  symlinkSync(join(outside, 'secret.pcm'), join(library, TASK, 'escape.pcm'));
  const lookup: AudioLookup = {
    track: (id) => {
      if (id === STORE_FAULT) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      return id === TRACK
        ? {
            isReady: true,
            localPath: join(library, TASK, `${TRACK}.mp3`),
            pcmPath: join(library, TASK, `${TRACK}.pcm`),
          }
        : id === ROGUE
          ? { isReady: true, localPath: join(outside, 'secret.mp3'), pcmPath: null }
          : id === LINKED_PCM
            ? { isReady: true, localPath: null, pcmPath: join(library, TASK, 'escape.pcm') }
            : id === DB_AS_PCM
              ? { isReady: true, localPath: null, pcmPath: join(library, 'stemhook.db') }
              : id === SHRINKING
                ? { isReady: true, localPath: null, pcmPath: join(library, TASK, 'shrinking.pcm') }
                : null;
    },
    taskSource: (id) => (id === TASK ? join(outside, 'secret.mp3') : null),
  };
  respond = createLibraryResponder({ libraryDir: library, lookup });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('library files: ranges', () => {
  it('serves a whole file with its type and length, advertising ranges', async () => {
    const res = await get(`/tracks/${TRACK}/file`);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'audio/mpeg',
      'content-length': '1000',
      'accept-ranges': 'bytes',
    });
    expect((await bytes(res.body)).equals(mp3)).toBe(true);
  });

  it.each([
    ['bytes=100-199', 100, 199],
    ['bytes=900-', 900, 999],
    ['bytes=-10', 990, 999],
    ['bytes=990-5000', 990, 999],
    ['bytes=0-0', 0, 0],
  ])('answers %s with 206 and exactly those bytes', async (range, start, end) => {
    const res = await get(`/files/${TASK}/${TRACK}.mp3`, range);
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    expect((await bytes(res.body)).equals(mp3.subarray(start, end + 1))).toBe(true);
  });

  it('answers 416 with the size for a range past the end, and ignores malformed or multiple ranges', async () => {
    const past = await get(`/tracks/${TRACK}/file`, 'bytes=1000-');
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */1000');
    for (const range of ['bytes=1-2,5-6', 'items=0-1', 'bytes=abc']) {
      const res = await get(`/tracks/${TRACK}/file`, range);
      expect(res.status).toBe(200);
      expect((await bytes(res.body)).length).toBe(1000);
    }
  });

  it('HEAD gives the headers without a body', async () => {
    const res = await respond({ method: 'HEAD', pathname: `/tracks/${TRACK}/file`, range: 'bytes=0-9' });
    expect(res.status).toBe(206);
    expect(res.headers['content-length']).toBe('10');
    expect(res.body).toBeNull();
  });

  it('serves the PCM cache as int16, with ranges over the converted bytes', async () => {
    const whole = pcmToInt16(pcm);
    const expected = Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength);
    const full = await get(`/tracks/${TRACK}/pcm16`);
    expect(full.headers['content-length']).toBe(String(expected.length));
    expect((await bytes(full.body)).equals(expected)).toBe(true);
    const part = await get(`/tracks/${TRACK}/pcm16`, 'bytes=3-10');
    expect(part.status).toBe(206);
    expect((await bytes(part.body)).equals(expected.subarray(3, 11))).toBe(true);
  });
});

/** Open descriptors of this process that point at `file` (Linux /proc; null elsewhere). */
function openDescriptorsOf(file: string): number | null {
  try {
    return readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    }).length;
  } catch {
    return null;
  }
}

describe('library files: descriptors', () => {
  it('closes the PCM cache when a pcm16 answer is dropped unread (a seek cancels its request)', async (context) => {
    const pcmFile = realpathSync(join(library, TASK, `${TRACK}.pcm`));
    if (openDescriptorsOf(pcmFile) === null) {
      context.skip('no /proc/self/fd here to count open descriptors');
      return;
    }
    for (let i = 0; i < 5; i++) {
      const answer = await get(`/tracks/${TRACK}/pcm16`, 'bytes=0-7');
      (answer.body as Readable).destroy();
    }
    for (let i = 0; i < 50 && openDescriptorsOf(pcmFile) !== 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(openDescriptorsOf(pcmFile)).toBe(0);
  });

  it('closes every cache a batch answer opened when it is dropped unread, one handle per file', async (context) => {
    const pcmFile = realpathSync(join(library, TASK, `${TRACK}.pcm`));
    if (openDescriptorsOf(pcmFile) === null) {
      context.skip('no /proc/self/fd here to count open descriptors');
      return;
    }
    const answer = await getBatch([
      { trackId: TRACK, start: 0, end: 3 },
      { trackId: TRACK, start: 8, end: 11 },
    ]);
    expect(openDescriptorsOf(pcmFile)).toBe(1);
    (answer.body as Readable).destroy();
    for (let i = 0; i < 50 && openDescriptorsOf(pcmFile) !== 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(openDescriptorsOf(pcmFile)).toBe(0);
  });

  it('opens nothing when the store fails for one lane of a batch (the error is the answer)', async (context) => {
    const pcmFile = realpathSync(join(library, TASK, `${TRACK}.pcm`));
    if (openDescriptorsOf(pcmFile) === null) {
      context.skip('no /proc/self/fd here to count open descriptors');
      return;
    }
    const batch = getBatch([
      { trackId: TRACK, start: 0, end: 3 },
      { trackId: STORE_FAULT, start: 0, end: 3 },
    ]);
    await expect(batch).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    // An open already started for the first lane would finish after the rejection.
    await new Promise((r) => setTimeout(r, 100));
    expect(openDescriptorsOf(pcmFile)).toBe(0);
  });
});

describe('library files: an answer whose client is gone', () => {
  it('closes the caches a batch opened when the client left before the answer was ready (HTTP)', async (context) => {
    const pcmFile = realpathSync(join(library, TASK, `${TRACK}.pcm`));
    if (openDescriptorsOf(pcmFile) === null) {
      context.skip('no /proc/self/fd here to count open descriptors');
      return;
    }
    // Sent the way browser mode's audio route sends (sendBody), over real HTTP on loopback. The
    // client hangs up; the answer is sent after its connection is gone, as when a seek cancels the
    // previous batch while its files are being opened (the stream bench leaked 2,500 such handles).
    const gone: Array<Promise<void>> = [];
    const server = createServer((req, res) => {
      gone.push(
        (async () => {
          await new Promise((r) => req.socket.once('close', r));
          const answer = await getBatch([{ trackId: TRACK, start: 0, end: 15 }]);
          if (answer.body) await sendBody(answer.body, res);
        })(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < 5; i++) {
      const request = httpGet({ host: '127.0.0.1', port, path: '/batch' });
      request.on('error', () => undefined);
      // Hung up once the request is out, before any answer.
      request.on('finish', () => setTimeout(() => request.destroy(), 20));
    }
    await until(() => gone.length === 5, 'the server seeing all five requests');
    await Promise.all(gone);
    await new Promise<void>((r) => server.close(() => r()));
    for (let i = 0; i < 50 && openDescriptorsOf(pcmFile) !== 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(openDescriptorsOf(pcmFile)).toBe(0);
  });
});

describe('library files: batch of ranges', () => {
  it("applies the single route's confinement to each part: a cache linked out is 403, a non-cache 404", async () => {
    const whole = pcmToInt16(pcm);
    const expected = Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength);
    const asked: BatchRange[] = [
      { trackId: LINKED_PCM, start: 0, end: 9 },
      { trackId: TRACK, start: 3, end: 10 },
      { trackId: DB_AS_PCM, start: 0, end: 3 },
      { trackId: ROGUE, start: 0, end: 3 },
    ];
    const answer = await getBatch(asked);
    expect(answer.status).toBe(200);
    const body = await bytes(answer.body);
    expect(Number(answer.headers['content-length'])).toBe(body.length);
    const parts = await batchParts(body, 4);
    expect(parts.map((p) => [p.status, p.bytes.length])).toEqual([
      [403, 0],
      [206, 8],
      [404, 0],
      [404, 0],
    ]);
    expect(parts[1]?.bytes.equals(expected.subarray(3, 11))).toBe(true);
    expect(body.includes(Buffer.alloc(10, 7))).toBe(false);
  });

  it('fails the answer, not the host, when a cache is cut short after the headers went out', async () => {
    writeFileSync(join(library, TASK, 'shrinking.pcm'), Buffer.alloc(3 * 4096, 1));
    const answer = await getBatch([
      { trackId: TRACK, start: 0, end: 7 },
      { trackId: SHRINKING, start: 0, end: 2 * 4096 - 1 },
      { trackId: TRACK, start: 8, end: 15 },
    ]);
    expect(answer.status).toBe(200);
    truncateSync(join(library, TASK, 'shrinking.pcm'), 30);
    await expect(bytes(answer.body)).rejects.toThrow(/shorter than expected/);
    // The responder still answers (and every part's read was handled: no unhandled rejection).
    expect((await getBatch([{ trackId: TRACK, start: 0, end: 7 }])).status).toBe(200);
  });
});

describe('library files: confinement', () => {
  it.each([
    ['/files/../stemhook.db', 403],
    [`/files/${TASK}/../../stemhook.db`, 403],
    ['/files/%2e%2e/stemhook.db', 403],
    ['/files/%2E%2E%2Fstemhook.db', 403],
    [`/files/${TASK}%2F..%2F..%2Foutside%2Fsecret.mp3`, 403],
    ['/files/..%5C..%5Coutside%5Csecret.mp3', 403],
    ['/files//etc/passwd.mp3', 403],
    ['/files/%2Fetc%2Fpasswd.mp3', 403],
    ['/files/C:%5Cwindows%5Cwin.mp3', 403],
    [`/files/${TASK}/${TRACK}.mp3%00.json`, 403],
    ['/files/%E0%A4%A', 400],
  ])('refuses %s', async (pathname, status) => {
    const res = await get(pathname);
    expect(res.status).toBe(status);
    expect(res.body).toBeNull();
  });

  it.each([
    [`/files/${TASK}/notes.json`],
    ['/files/stemhook.db'],
    [`/files/${TASK}/${TRACK}.pcm`],
    [`/files/${TASK}/${TRACK}.mp3.part`],
    [`/files/${TASK}`],
  ])('refuses a file type that is not audio: %s', async (pathname) => {
    expect((await get(pathname)).status).toBe(403);
  });

  it('refuses symlinks that lead out of the library, file or folder, but follows ones that stay inside', async () => {
    expect((await get(`/files/${TASK}/escape.mp3`)).status).toBe(403);
    expect((await get('/files/linked-dir/secret.mp3')).status).toBe(403);
    const alias = await get(`/files/${TASK}/alias.mp3`);
    expect(alias.status).toBe(200);
    expect((await bytes(alias.body)).equals(mp3)).toBe(true);
  });

  it('refuses a track whose stored path points outside the library', async () => {
    expect((await get(`/tracks/${ROGUE}/file`)).status).toBe(403);
  });

  it('serves a task source from the path the store recorded (the URL names only ids)', async () => {
    const res = await get(`/tasks/${TASK}/source`);
    expect(res.status).toBe(200);
    expect((await bytes(res.body)).toString()).toBe('outside the library');
  });

  it('answers 404 for unknown ids, bad ids, unknown routes and missing files, and 405 for writes', async () => {
    expect((await get('/tracks/0b6f1c1e-9999-4a4a-8888-000000000009/file')).status).toBe(404);
    expect((await get('/tracks/..%2F..%2Fx/file')).status).toBe(404);
    expect((await get(`/tracks/${TRACK}/peaks`)).status).toBe(404);
    expect((await get(`/files/${TASK}/missing.mp3`)).status).toBe(404);
    expect((await respond({ method: 'PUT', pathname: `/tracks/${TRACK}/file` })).status).toBe(405);
  });
});

describe('resolveRequestPath', () => {
  it('decodes each segment once and keeps the result under the root', () => {
    const resolved = resolveRequestPath('/lib', '/a%20b/c.mp3', { '.mp3': 'audio/mpeg' });
    expect(resolved).toEqual({ ok: true, path: join('/lib', 'a b', 'c.mp3') });
    expect(resolveRequestPath('/lib', '/%252e%252e/c.mp3', { '.mp3': 'audio/mpeg' })).toEqual({
      ok: true,
      path: join('/lib', '%2e%2e', 'c.mp3'),
    });
    expect(resolveRequestPath('/lib', 'c.mp3', { '.mp3': 'audio/mpeg' })).toEqual({ ok: false, status: 400 });
  });
});
