// The residual job against broken inputs and a broken machine: a stem cache that is gone or cut
// short, a disk that fills up, a worker that dies halfway. Each ends in one plain error, the host's
// ingestor keeps working, and nothing of the residual is left: no cache, no peaks, no .part file.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISK_RESERVE_BYTES } from '../../electron/core/disk-space.ts';
import { createIngestor, IngestError, type Ingestor } from '../../electron/core/audio/index.ts';
import type { PcmRef, ResidualInput } from '../../electron/core/audio/residual/types.ts';
import { canMountSmallDisk, mountSmallDisk } from '../helpers/small-disk.ts';

const RATE = 44100;
const CHANNELS = 2;
let dir = '';
let ingestor: Ingestor;

/** A stereo s24le cache of a sine plus `stem`-seeded noise, `seconds` long. */
async function cache(name: string, seconds: number, stem: number): Promise<PcmRef> {
  const frames = Math.round(seconds * RATE);
  const bytes = new Uint8Array(frames * CHANNELS * 3);
  let seed = stem + 1;
  for (let i = 0, o = 0; i < frames * CHANNELS; i++, o += 3) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const v = Math.round(Math.sin((i >> 1) * 0.01 * (stem + 1)) * 200_000 + (seed / 2 ** 32 - 0.5) * 50_000);
    bytes[o] = v & 0xff;
    bytes[o + 1] = (v >> 8) & 0xff;
    bytes[o + 2] = (v >> 16) & 0xff;
  }
  const pcmPath = join(dir, `${name}.pcm`);
  await writeFile(pcmPath, bytes);
  return { pcmPath, channels: CHANNELS, sampleRate: RATE, sampleCount: frames };
}

/** A source and `stems` stems, each `seconds` long (the source is a stem of its own: not silent). */
async function split(name: string, seconds: number, stems: number): Promise<Omit<ResidualInput, 'outBase'>> {
  const source = await cache(`${name}-source`, seconds, 99);
  const refs = [];
  for (let s = 0; s < stems; s++)
    refs.push({ id: `stem${s}`, ...(await cache(`${name}-stem${s}`, seconds, s)) });
  return { source, stems: refs };
}

async function rejection(promise: Promise<unknown>): Promise<IngestError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  return error as IngestError;
}

/** What a residual named `base` left in its folder (its inputs excluded). */
const leftovers = (folder: string, base: string) =>
  readdirSync(folder).filter((name) => name.startsWith(`${base}.`));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-residual-faults-'));
  ingestor = createIngestor({ workers: 2, residualParts: 2 });
});

afterAll(async () => {
  await ingestor.close();
  await rm(dir, { recursive: true, force: true });
});

describe('residual faults', () => {
  it('a stem cache that is gone: says which, computes nothing', async () => {
    const input = await split('gone', 4, 3);
    await rm(input.stems[1]!.pcmPath);
    const error = await rejection(ingestor.residual({ ...input, outBase: join(dir, 'gone') }));
    expect(error.code).toBe('io');
    expect(error.message).toMatch(/PCM cache of the stem stem1 is missing/);
    expect(leftovers(dir, 'gone')).toEqual([]);
  });

  it('a stem cache cut short: refused as truncated, with its sizes', async () => {
    const input = await split('short', 4, 3);
    await truncate(input.stems[2]!.pcmPath, 1000);
    const error = await rejection(ingestor.residual({ ...input, outBase: join(dir, 'short') }));
    expect(error.code).toBe('truncated');
    expect(error.message).toMatch(/stem stem2 .* holds 1000 bytes, \d+ recorded/);
    expect(leftovers(dir, 'short')).toEqual([]);
  });

  it('a worker that dies in the second part: one plain error, nothing kept, the next residual works', async () => {
    const crashing = createIngestor({
      workers: 2,
      residualParts: 2,
      workerUrl: new URL('../helpers/crashing-decode-worker.ts', import.meta.url),
    });
    try {
      // Long enough for two parts (a part is whole chunks of 65536 frames).
      const input = await split('crash', 4, 3);
      const error = await rejection(crashing.residual({ ...input, outBase: join(dir, 'crash') }));
      expect(error.code).toBe('internal');
      expect(error.message).toMatch(
        /^The residual could not be computed \(decode worker died \(exit 70\).*\); nothing was saved, try again\.$/,
      );
      expect(leftovers(dir, 'crash')).toEqual([]);
      // The dead worker is replaced: the same ingestor computes the same split under another name.
      const result = await crashing.residual({ ...input, outBase: join(dir, 'after') });
      expect(existsSync(result.pcmPath) && existsSync(result.peaksPath)).toBe(true);
      expect(leftovers(dir, 'after').sort()).toEqual(['after.pcm', 'after.peaks']);
    } finally {
      await crashing.close();
    }
  });

  it('workers that cannot start: every step runs in the main process, to the same bytes', async () => {
    const lines: string[] = [];
    const fallback = createIngestor({
      workers: 2,
      residualParts: 2,
      workerUrl: new URL('./no-such-decode-worker.js', import.meta.url),
      log: (line) => lines.push(line),
    });
    try {
      const input = await split('fallback', 4, 3);
      const here = await fallback.residual({ ...input, outBase: join(dir, 'in-process') });
      const there = await ingestor.residual({ ...input, outBase: join(dir, 'in-workers') });
      expect((await readFile(here.pcmPath)).equals(await readFile(there.pcmPath))).toBe(true);
      expect((await readFile(here.peaksPath)).equals(await readFile(there.peaksPath))).toBe(true);
      expect(here.levelDb).toBe(there.levelDb);
      expect(lines).toEqual([
        expect.stringMatching(/decode workers cannot start.*decoding in the main process/),
      ]);
    } finally {
      await fallback.close();
    }
  });

  it.skipIf(!canMountSmallDisk)(
    'a disk too small for the residual: refused up front in plain words',
    async () => {
      const disk = mountSmallDisk(DISK_RESERVE_BYTES / 1024 / 1024 + 1);
      if ('skipReason' in disk) throw new Error(disk.skipReason);
      try {
        // 4 s of stereo s24 is 1.06 MB: more than the 1 MiB left beside the reserve.
        const input = await split('small', 4, 2);
        const error = await rejection(ingestor.residual({ ...input, outBase: join(disk.dir, 'residual') }));
        expect(error.code).toBe('disk_full');
        expect(error.message).toMatch(/^Disk full: the residual needs 2 MB but only \d+ MB are free/);
        expect(readdirSync(disk.dir)).toEqual([]);
      } finally {
        disk.unmount();
      }
    },
  );

  it.skipIf(!canMountSmallDisk)(
    'two residuals on a disk with room for one: the first is kept whole, the second is refused up front and leaves nothing',
    async () => {
      // Each residual (one stem, 76 s: 20.1 MB of cache) passes the free-space check alone (20.1 MB
      // plus the 16.8 MB reserve of 38.8 MB), not after the other. Asked for at once, they used to
      // run side by side: both passed the check, and both could fail halfway (seen in CI). They
      // now run one after the other, so the second one's check sees the first one's files.
      const disk = mountSmallDisk(DISK_RESERVE_BYTES / 1024 / 1024 + 21);
      if ('skipReason' in disk) throw new Error(disk.skipReason);
      try {
        const input = await split('fill', 76, 1);
        const settled = await Promise.allSettled(
          ['a', 'b'].map((name) => ingestor.residual({ ...input, outBase: join(disk.dir, name) })),
        );
        expect(settled[0]?.status).toBe('fulfilled');
        expect(settled[1]?.status).toBe('rejected');
        const error = (settled[1] as PromiseRejectedResult).reason as unknown;
        expect(error).toBeInstanceOf(IngestError);
        expect(error).toMatchObject({ code: 'disk_full' });
        expect((error as Error).message).toMatch(
          /^Disk full: the residual needs 21 MB but only \d+ MB are free/,
        );
        expect(readdirSync(disk.dir).sort()).toEqual(['a.pcm', 'a.peaks']);
      } finally {
        disk.unmount();
      }
    },
  );
});
