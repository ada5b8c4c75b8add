// Runs every test/bench/*.bench.ts one after another, each in its own process with this same Node,
// passing our arguments through (--smoke for the short CI mode), then prints one summary table.
// Run: npm run bench   |   npm run bench:smoke   |   node test/bench/run-all.ts [--smoke] [--out=DIR]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const passThrough = process.argv.slice(2);
const defaultDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const outDirs = [
  ...new Set([passThrough.find((a) => a.startsWith('--out='))?.slice(6) ?? defaultDir, defaultDir]),
];

function run(file: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(benchDir, file), ...passThrough], { stdio: 'inherit' });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
}

/** Result files a bench wrote (or rewrote) since it started, in --out or bench/results. */
function writtenSince(startedAt: number): string[] {
  return outDirs.flatMap((dir) => {
    try {
      return readdirSync(dir)
        .filter((name) => name.endsWith('.json') && statSync(join(dir, name)).mtimeMs >= startedAt)
        .map((name) => basename(name));
    } catch {
      return [];
    }
  });
}

const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();
const summary: Array<{ bench: string; result: string; seconds: number; wrote: string }> = [];
for (const bench of benches) {
  console.log(`\n=== ${bench} ${passThrough.join(' ')}`);
  const startedAt = Date.now();
  const code = await run(bench);
  summary.push({
    bench,
    result: code === 0 ? 'ok' : `failed (${code ?? 'did not start'})`,
    seconds: Number(((Date.now() - startedAt) / 1000).toFixed(1)),
    wrote: writtenSince(startedAt).join(', '),
  });
}
console.log('\n=== summary');
console.table(summary);
process.exitCode = summary.every((s) => s.result === 'ok') ? 0 : 1;
