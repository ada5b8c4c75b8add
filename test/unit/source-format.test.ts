// Which decode job an uploaded source gets from its bytes: FLAC (also behind an ID3v2 tag) now goes
// to our FLAC decoder; M4A, AAC and Ogg are still refused with the sentence the producer needs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../electron/core/audio/errors.ts';
import { sourceJob } from '../../electron/core/audio/source-format.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-source-format-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function jobFor(name: string, bytes: Buffer) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, job: sourceJob(path, join(dir, 'out')) };
}

/** An ID3v2.4 tag of `size` body bytes (synchsafe size), as taggers prepend it. */
function id3(size: number): Buffer {
  const head = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
  head.writeUInt8((size >> 21) & 0x7f, 6);
  head.writeUInt8((size >> 14) & 0x7f, 7);
  head.writeUInt8((size >> 7) & 0x7f, 8);
  head.writeUInt8(size & 0x7f, 9);
  return Buffer.concat([head, Buffer.alloc(size)]);
}

describe('sourceJob', () => {
  it('sends a FLAC to the FLAC decoder, also when an ID3v2 tag comes first', async () => {
    const plain = await jobFor('a.flac', Buffer.from('fLaC\0\0\0\x22'));
    expect(await plain.job).toMatchObject({ format: 'flac', flacPath: plain.path });
    const tagged = await jobFor('b.flac', Buffer.concat([id3(300), Buffer.from('fLaC\0\0\0\x22')]));
    expect(await tagged.job).toMatchObject({ format: 'flac', flacPath: tagged.path });
  });

  it('still sends an ID3-tagged MP3 to the MP3 decoder', async () => {
    const mp3 = await jobFor('c.mp3', Buffer.concat([id3(20), Buffer.from([0xff, 0xfb, 0x90, 0x64])]));
    expect(await mp3.job).toMatchObject({ format: 'mp3', mp3Path: mp3.path });
  });

  it('refuses M4A, AAC and Ogg with a conversion hint, and lists FLAC among what it decodes', async () => {
    for (const [name, bytes, label] of [
      ['d.m4a', Buffer.from('\0\0\0\x20ftypM4A \0\0\0\0'), 'M4A'],
      ['e.aac', Buffer.from([0xff, 0xf1, 0x50, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]), 'AAC'],
      ['f.ogg', Buffer.from('OggS\0\x02\0\0\0\0\0\0'), 'Ogg'],
    ] as const) {
      const { job } = await jobFor(name, bytes);
      const error = await job.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).message).toMatch(new RegExp(`This source is ${label}.*converted to WAV`));
    }
    const { job } = await jobFor('g.txt', Buffer.from('hello, not audio'));
    await expect(job).rejects.toThrow('A/B and the residual need a WAV, AIFF, FLAC or MP3.');
  });
});
