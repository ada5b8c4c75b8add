// The export staging folder: publishing replaces a whole set or nothing, restores the files it moved
// aside when a rename fails midway, refuses to clobber without overwrite, and stale folders of dead
// exports are removed while live ones stay.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaging, removeStaleStaging } from '../../electron/core/export/staging.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-staging-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = ['a.wav', 'b.wav', 'c.json'];
const finals = () => names.map((n) => join(dir, n));

async function contents(): Promise<Record<string, string>> {
  const entries = (await readdir(dir)).sort();
  return Object.fromEntries(
    await Promise.all(entries.map(async (n) => [n, await readFile(join(dir, n), 'utf8')] as const)),
  );
}

describe('export staging', () => {
  it('restores every replaced file when a publish rename fails midway', async () => {
    for (const n of names) await writeFile(join(dir, n), `old ${n}`);
    const staging = await createStaging(dir, 'e1');
    await writeFile(staging.pathOf(join(dir, 'a.wav')), 'new a');
    await writeFile(staging.pathOf(join(dir, 'b.wav')), 'new b');
    // c.json was never staged: its rename fails after a and b are already in place.
    await expect(staging.publish(finals(), true)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await contents()).toEqual({ 'a.wav': 'old a.wav', 'b.wav': 'old b.wav', 'c.json': 'old c.json' });
  });

  it('never replaces a folder that has the name of a file in the set', async () => {
    await writeFile(join(dir, 'a.wav'), 'old a');
    await mkdir(join(dir, 'c.json'));
    await writeFile(join(dir, 'c.json', 'keep.txt'), 'mine');
    const staging = await createStaging(dir, 'e4');
    for (const n of names) await writeFile(staging.pathOf(join(dir, n)), `new ${n}`);
    await expect(staging.publish(finals(), true)).rejects.toMatchObject({ code: 'exists' });
    expect(await readFile(join(dir, 'c.json', 'keep.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir, 'a.wav'), 'utf8')).toBe('old a');
    expect((await readdir(dir)).sort()).toEqual(['a.wav', 'c.json']);
  });

  it('publishes a whole set, replacing old files, and leaves no staging folder', async () => {
    await writeFile(join(dir, 'a.wav'), 'old a');
    const staging = await createStaging(dir, 'e2');
    for (const n of names) await writeFile(staging.pathOf(join(dir, n)), `new ${n}`);
    await staging.publish(finals(), true);
    expect(await contents()).toEqual({ 'a.wav': 'new a.wav', 'b.wav': 'new b.wav', 'c.json': 'new c.json' });
  });

  it('without overwrite, refuses a file in the way and removes only what it placed', async () => {
    await writeFile(join(dir, 'b.wav'), 'someone else');
    const staging = await createStaging(dir, 'e3');
    for (const n of names) await writeFile(staging.pathOf(join(dir, n)), `new ${n}`);
    await expect(staging.publish(finals(), false)).rejects.toMatchObject({ code: 'exists' });
    expect(await contents()).toEqual({ 'b.wav': 'someone else' });
  });

  it('puts back the files a publish killed midway had moved aside, then removes its folder', async () => {
    const stale = join(dir, '.stemhook-export-4194304-killed');
    await mkdir(join(stale, '.previous'), { recursive: true });
    // Killed after a.wav was replaced and b.wav moved aside, before the new b.wav was placed.
    await writeFile(join(dir, 'a.wav'), 'new a');
    await writeFile(join(stale, '.previous', 'a.wav'), 'old a');
    await writeFile(join(stale, '.previous', 'b.wav'), 'old b');
    await writeFile(join(stale, 'b.wav'), 'new b');
    await removeStaleStaging(dir);
    expect(await contents()).toEqual({ 'a.wav': 'old a', 'b.wav': 'old b' });
  });

  it('removes staging folders of dead processes and of this one, keeps running ones', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout;
    await mkdir(join(dir, `.stemhook-export-${dead.toString()}-x`));
    await mkdir(join(dir, `.stemhook-export-${process.pid}-leftover`));
    await mkdir(join(dir, `.stemhook-export-${process.ppid}-busy`));
    const running = await createStaging(dir, 'live');
    await removeStaleStaging(dir);
    expect((await readdir(dir)).sort()).toEqual(
      [`.stemhook-export-${process.pid}-live`, `.stemhook-export-${process.ppid}-busy`].sort(),
    );
    await running.discard();
  });
});
