// Issue 9 item 10: a local file is looked at before it is hashed, uploaded or billed. A text file
// renamed .mp3 and a file over KIE's upload limit are refused with one plain sentence; the
// simulator's upload host receives nothing and no credit is spent. A real MP3 still goes through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, openSync, closeSync, ftruncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

describe('submitting a local file that is not audio, or too large', () => {
  let live: LiveCore;
  beforeAll(async () => {
    live = await startLiveCore();
  });
  afterAll(async () => {
    await live?.close();
  });

  const submit = (path: string) =>
    live.core.handlers['tasks.submit']({ kind: 'separate_vocal', source: { path } });

  it('refuses /etc/passwd renamed .mp3 before any upload or charge', async () => {
    const fake = join(live.dataDir, 'passwd.mp3');
    copyFileSync('/etc/passwd', fake);
    const credits = live.sim.control.credits();
    await expect(submit(fake)).rejects.toMatchObject({
      code: 'source_refused',
      message: expect.stringMatching(/^passwd\.mp3 is not an audio file/),
    });
    expect(live.sim.control.uploadCount()).toBe(0);
    expect(live.sim.control.tasks()).toHaveLength(0);
    expect(live.sim.control.credits()).toBe(credits);
  });

  it('refuses a file over the upload limit by its size, without reading it', async () => {
    // A sparse file: an MP3 frame header and then a hole, so the test costs no disk space.
    const huge = join(live.dataDir, 'huge.mp3');
    const fd = openSync(huge, 'w');
    writeSync(fd, Buffer.from([0xff, 0xfb, 0x90, 0x64]));
    ftruncateSync(fd, 2 * 1024 ** 3);
    closeSync(fd);
    const credits = live.sim.control.credits();
    await expect(submit(huge)).rejects.toMatchObject({
      code: 'source_refused',
      message: expect.stringMatching(/^huge\.mp3 is 2\.0 GB, more than the 200 MB KIE accepts/),
    });
    expect(live.sim.control.uploadCount()).toBe(0);
    expect(live.sim.control.credits()).toBe(credits);
  });

  it('still uploads and bills a real MP3 (the same path the refusals take)', async () => {
    const take = await writeToneMp3(join(live.dataDir, 'take.mp3'), { seconds: 1 });
    const credits = live.sim.control.credits();
    const uploads = live.sim.control.uploadCount();
    const task = await submit(take);
    expect(live.sim.control.uploadCount()).toBe(uploads + 1);
    await live.waitFor(task.id, isSettled);
    expect(live.sim.control.credits()).toBeLessThan(credits);
  });

  it('recognises the containers KIE takes by their first bytes, whatever the name says', async () => {
    const heads: Record<string, Buffer> = {
      'a.flac': Buffer.from('fLaC\0\0\0\x22'),
      'b.aiff': Buffer.from('FORM\0\0\0\x10AIFFCOMM'),
      'c.m4a': Buffer.from('\0\0\0\x20ftypM4A '),
      'd.bin': Buffer.from('RIFF\x24\0\0\0WAVEfmt '),
    };
    const { uploadProblem } = await import('../../electron/core/kie/upload.ts');
    for (const [name, head] of Object.entries(heads)) {
      const path = join(live.dataDir, name);
      writeFileSync(path, head);
      expect(await uploadProblem(path, name, head.length), name).toBeNull();
    }
    writeFileSync(join(live.dataDir, 'e.wav'), 'RIFF....AVI LIST');
    expect(await uploadProblem(join(live.dataDir, 'e.wav'), 'e.wav', 16)).toMatch(/not an audio file/);
  });
});
