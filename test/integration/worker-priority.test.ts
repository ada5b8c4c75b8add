// Decode and analysis threads run below the host's priority (electron/core/audio/thread-priority.ts):
// read from Linux itself (/proc/self/task/<tid>/stat), with real workers doing real jobs. The host's
// own thread keeps its niceness.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyser, type Analyser } from '../../electron/core/analysis/index.ts';
import { createIngestor, type Ingestor } from '../../electron/core/audio/index.ts';
import { BACKGROUND_NICENESS } from '../../electron/core/audio/thread-priority.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

/** Every thread of this process with its niceness (field 19 of stat, counted after the name). */
function threadNiceness(): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), Number(fields[16]));
    } catch {
      // the thread ended while we looked
    }
  }
  return threads;
}

const countAt = (niceness: number) => [...threadNiceness().values()].filter((n) => n === niceness).length;

let ingestor: Ingestor | null = null;
let analyser: Analyser | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await ingestor?.close();
  await analyser?.close();
  ingestor = analyser = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('background thread priority (Linux)', () => {
  it('decodes and analyses in threads niced to 10 while the host thread keeps its own', async () => {
    const mainBefore = threadNiceness().get(process.pid);
    const before = countAt(BACKGROUND_NICENESS);
    const dir = mkdtempSync(join(tmpdir(), 'stemhook-priority-'));
    dirs.push(dir);
    const mp3Path = await writeToneMp3(join(dir, 'tone.mp3'), { seconds: 2 });

    ingestor = createIngestor({ workers: 1, streamWorkers: 1, log: () => undefined });
    const decoded = await ingestor.ingest({ mp3Path, outBase: join(dir, 'tone'), maxSeconds: 60 });
    expect(decoded.sampleCount).toBeGreaterThan(0);
    // The pool keeps its idle worker: one more background thread than before.
    expect(countAt(BACKGROUND_NICENESS)).toBe(before + 1);

    analyser = createAnalyser();
    await analyser.analyse({
      pcmPath: decoded.pcmPath,
      channels: decoded.channels,
      sampleRate: decoded.sampleRate,
    });
    expect(countAt(BACKGROUND_NICENESS)).toBe(before + 2);

    expect(threadNiceness().get(process.pid)).toBe(mainBefore);
    expect(mainBefore).not.toBe(BACKGROUND_NICENESS);
  });
});
