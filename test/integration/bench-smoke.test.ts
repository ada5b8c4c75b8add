// Keeps the receiver, library, FLAC, residual and mixer warm-up benchmarks runnable in CI: each runs
// in --smoke mode (a few seconds) and must exit 0 with a well-formed report. Timings are not judged
// here; `npm run bench` does that.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.ts';

const outDir = mkdtempSync(join(tmpdir(), 'stemhook-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runBench(name: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'test/bench', name), '--smoke', `--out=${outDir}`], {
      cwd: ROOT,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const readReport = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(outDir, file), 'utf8')) as Record<string, unknown>;

describe('benchmarks in smoke mode', () => {
  it('receiver.bench.ts exits 0 and reports every side, ratios and targets', async () => {
    const run = await runBench('receiver.bench.ts');
    expect(run.code, run.output).toBe(0);
    const report = readReport('receiver.smoke.json');
    expect(report.smoke).toBe(true);
    const summary = report.summary as Record<
      string,
      { requestsPerSec: number; p50Ms: number; p99Ms: number }
    >;
    expect(Object.keys(summary).sort()).toEqual(['express', 'node-http', 'stemhook']);
    for (const side of Object.values(summary)) expect(side.requestsPerSec).toBeGreaterThan(0);
    expect(report.ratios).toEqual({ vsExpress: expect.any(Number), vsNodeHttp: expect.any(Number) });
    expect(Object.keys(report.meetsTargets as object).sort()).toEqual(['p99', 'vsExpress', 'vsNodeHttp']);
  });

  it('library.bench.ts exits 0 and reports every query on every side', async () => {
    const run = await runBench('library.bench.ts');
    expect(run.code, run.output).toBe(0);
    const report = readReport('library.smoke.json');
    expect(report.smoke).toBe(true);
    const results = report.results as Record<string, Record<string, { medianMs: number; rows: number }>>;
    expect(Object.keys(results)).toHaveLength(5);
    for (const sides of Object.values(results)) {
      expect(Object.keys(sides)).toHaveLength(3);
      for (const side of Object.values(sides)) expect(side.rows).toBeGreaterThan(0);
    }
    for (const sides of Object.values(results)) {
      expect(new Set(Object.values(sides).map((side) => side.rows)).size).toBe(1);
    }
    expect(typeof report.meetsTarget).toBe('boolean');
  });

  it.skipIf(!existsSync('/usr/bin/ffmpeg'))(
    'flac.bench.ts exits 0 with a bit-exact cache and a ratio',
    async () => {
      const run = await runBench('flac.bench.ts');
      expect(run.code, run.output).toBe(0);
      const report = readReport('flac.smoke.json');
      expect(report.smoke).toBe(true);
      expect(report.isBitExact).toBe(true);
      expect(report.ratio).toEqual(expect.any(Number));
    },
  );

  it('residual.bench.ts exits 0 with both sides, their ratios and the same bytes', async () => {
    const run = await runBench('residual.bench.ts');
    expect(run.code, run.output).toBe(0);
    const report = readReport('residual.smoke.json');
    expect(report.smoke).toBe(true);
    // isCorrect: both sides found the offset, left digital silence and wrote the same files.
    expect(report.isCorrect).toBe(true);
    for (const side of ['baseline', 'parts'])
      expect(report[side]).toEqual({
        medianWallMs: expect.any(Number),
        medianJobCpuMs: expect.any(Number),
        medianProcessCpuMs: expect.any(Number),
      });
    expect(report.ratios).toEqual({ wall: expect.any(Number), processCpu: expect.any(Number) });
  });

  it('mixer-warm-up.bench.ts exits 0 with the first blocks timed cold and warmed up', async () => {
    const run = await runBench('mixer-warm-up.bench.ts');
    expect(run.code, run.output).toBe(0);
    const report = readReport('mixer-warm-up.smoke.json');
    expect(report.smoke).toBe(true);
    const table = report.table as Record<string, { cold: number; warm: number }>;
    expect(Object.keys(table)).toHaveLength(4);
    for (const row of Object.values(table))
      expect(row).toEqual({ cold: expect.any(Number), warm: expect.any(Number) });
    const raw = report.raw as { cold: Array<{ blocks: number[] }>; warm: Array<{ blocks: number[] }> };
    for (const trial of [...raw.cold, ...raw.warm]) expect(trial.blocks).toHaveLength(40);
  });
});
