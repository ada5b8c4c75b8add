// Receiver benchmark (a script, not a test): signed KIE callbacks per second and latency at 50
// keep-alive connections against our receiver (HMAC check + durable SQLite inbox write + 200),
// side by side with a bare Express app and a bare node:http server that only parse and answer.
// Each side runs in its own child process on fresh state; sides alternate over several rounds.
// Run: npx node test/bench/receiver.bench.ts [--smoke] [--out=DIR] [--profile] [--sides=stemhook]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startReceiver } from '../../electron/core/receiver/server.ts';
import { createStore } from '../../electron/core/store/index.ts';
import { musicStageBodies, percentile, runLoad, signedCallback, type LoadRequest } from '../helpers/load.ts';
import { makeTask } from '../helpers/task.ts';
import {
  benchFlags,
  loadNow,
  machine,
  median,
  ratioText,
  round3,
  withTimeout,
  writeReport,
} from './report.ts';

type Side = 'stemhook' | 'express' | 'node-http';
const ALL_SIDES: Side[] = ['stemhook', 'express', 'node-http'];
const KEY = 'bench-hmac-key';
const PATH = '/kie/bench-path-token-0123456789abcdef';
const CONNECTIONS = 50;
const { args, isSmoke, outDir: OUT_DIR } = benchFlags();
/** Enough fresh tasks that every measured request is a new stage, not a duplicate. */
const TASKS = isSmoke ? 5_000 : 30_000;
const ROUNDS = isSmoke ? 1 : 5;
const WARMUP_MS = isSmoke ? 300 : 1000;
const MEASURE_MS = isSmoke ? 700 : 5000;
/** `--sides=stemhook` measures one side only (for profiling); the report then has no ratios. */
const SIDES = (
  args
    .find((a) => a.startsWith('--sides='))
    ?.slice(8)
    .split(',') ?? ALL_SIDES
).filter((s): s is Side => ALL_SIDES.includes(s as Side));

const kieId = (n: number): string => `benchtask${String(n % TASKS).padStart(23, '0')}`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** Child mode: one server, its port on stdout, until stdin closes. */
async function serve(side: Side): Promise<void> {
  let port: number;
  let close: () => Promise<void> | void;
  if (side === 'stemhook') {
    const dir = mkdtempSync(join(tmpdir(), 'stemhook-bench-receiver-'));
    const store = createStore(join(dir, 'stemhook.db'));
    store.transaction(() => {
      for (let n = 0; n < TASKS; n++) {
        store.tasks.insert(makeTask({ id: `task-${n}`, kie_task_id: kieId(n), title: `Bench ${n}` }));
      }
    });
    const receiver = await startReceiver({
      store,
      pathToken: PATH.slice('/kie/'.length),
      hmacKey: () => KEY,
    });
    port = receiver.port;
    close = async () => {
      await receiver.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else if (side === 'express') {
    const { default: express } = await import('express');
    const app = express();
    app.post(
      PATH,
      express.json({ limit: '1mb' }),
      (_req, res) => void res.json({ code: 200, msg: 'received' }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    server.keepAliveTimeout = 5000;
    port = (server.address() as AddressInfo).port;
    close = () => new Promise<void>((r) => server.close(() => r()));
  } else {
    const server = createServer(async (req, res) => {
      const body = await readBody(req);
      JSON.parse(body.toString('utf8'));
      const answer = JSON.stringify({ code: 200, msg: 'received' });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    close = () => new Promise<void>((r) => server.close(() => r()));
  }
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  // 'mark' starts a CPU-time window, 'cpu' reports it; the end of stdin is the signal to stop.
  let mark = process.cpuUsage();
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'mark') mark = process.cpuUsage();
    if (line === 'cpu') {
      const used = process.cpuUsage(mark);
      process.stdout.write(`${JSON.stringify({ cpuUs: used.user + used.system })}\n`);
    }
  }
  await close();
  process.exit(0);
}

async function startSide(
  side: Side,
  profileDir: string | null,
): Promise<{ child: ChildProcess; origin: string; nextLine: () => Promise<string> }> {
  const flags = profileDir && side === 'stemhook' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...flags, fileURLToPath(import.meta.url), `--serve=${side}`, ...(isSmoke ? ['--smoke'] : [])],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () =>
    withTimeout(
      new Promise<string>((done, fail) => {
        child.once('exit', (code) => fail(new Error(`${side} server exited (${code})`)));
        lines.once('line', done);
      }),
      `an answer from the ${side} server`,
    );
  const line = await nextLine();
  return { child, nextLine, origin: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` };
}

async function measure(side: Side, profileDir: string | null) {
  const { child, origin, nextLine } = await startSide(side, profileDir);
  let seq = 0;
  // The same signed KIE traffic for every side: text, first, complete for task after task.
  const next = (): LoadRequest => {
    const n = seq++;
    const body = musicStageBodies(kieId(Math.floor(n / 3)))[n % 3] ?? {};
    // Each stage in its own second, as KIE sends them: a signature pair vouches for one body.
    return signedCallback(PATH, body, KEY, Date.now() - 1000 * (2 - (n % 3)));
  };
  const load = (durationMs: number) =>
    withTimeout(runLoad({ origin, connections: CONNECTIONS, next, durationMs }), `load on ${side}`);
  await load(WARMUP_MS);
  child.stdin!.write('mark\n');
  const report = await load(MEASURE_MS);
  const cpu = nextLine();
  child.stdin!.write('cpu\n');
  const { cpuUs } = JSON.parse(await cpu) as { cpuUs: number };
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin!.end();
  await withTimeout(exited, `the ${side} server to exit`);
  const ok = report.statuses[200] ?? 0;
  if (ok !== report.count)
    throw new Error(`${side}: ${report.count - ok} non-200 answers: ${JSON.stringify(report.statuses)}`);
  return {
    requestsPerSec: report.count / (report.elapsedMs / 1000),
    p50Ms: percentile(report.latenciesMs, 50),
    p99Ms: percentile(report.latenciesMs, 99),
    /** Server CPU time per request: what the side costs, whatever else the machine was doing. */
    cpuUsPerRequest: cpuUs / report.count,
    count: report.count,
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadNow();
  const profileDir = args.includes('--profile') ? resolve(OUT_DIR, 'receiver-profile') : null;
  const runs = Object.fromEntries(SIDES.map((side) => [side, []])) as unknown as Record<
    Side,
    Array<Awaited<ReturnType<typeof measure>>>
  >;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so warm caches and CPU boost favour no side.
    const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length] as Side);
    for (const side of order) runs[side].push(await measure(side, profileDir));
    console.log(
      `round ${round + 1}/${ROUNDS}: ${SIDES.map((s) => `${s} ${Math.round(runs[s].at(-1)?.requestsPerSec ?? 0)} req/s`).join(', ')}`,
    );
  }
  const summary = Object.fromEntries(
    SIDES.map((side) => [
      side,
      {
        requestsPerSec: Math.round(median(runs[side].map((r) => r.requestsPerSec))),
        p50Ms: Number(median(runs[side].map((r) => r.p50Ms)).toFixed(2)),
        p99Ms: Number(median(runs[side].map((r) => r.p99Ms)).toFixed(2)),
        cpuUsPerRequest: Number(median(runs[side].map((r) => r.cpuUsPerRequest)).toFixed(1)),
      },
    ]),
  ) as Partial<
    Record<Side, { requestsPerSec: number; p50Ms: number; p99Ms: number; cpuUsPerRequest: number }>
  >;
  const ours = summary.stemhook;
  const ratio = (base: Side): number | null =>
    ours && summary[base] ? ours.requestsPerSec / summary[base].requestsPerSec : null;
  const vsExpress = ratio('express');
  const vsNode = ratio('node-http');
  // Requests one core could serve, ours against each baseline: robust when the machine is busy.
  const capacity = (base: Side): number | null =>
    ours && summary[base] ? summary[base].cpuUsPerRequest / ours.cpuUsPerRequest : null;
  console.table(SIDES.map((side) => ({ side, ...summary[side] })));
  console.log(
    `stemhook / express = ${ratioText(vsExpress)} (target >= 2.00); stemhook / node:http = ${ratioText(vsNode)} (target >= 0.60); stemhook p99 = ${ours?.p99Ms ?? '-'} ms (target < 10)`,
  );
  console.log(
    `by server CPU per request: stemhook / express = ${ratioText(capacity('express'))}, stemhook / node:http = ${ratioText(capacity('node-http'))}`,
  );
  const report = {
    date: new Date().toISOString(),
    smoke: isSmoke,
    machine: machine(loadAtStart),
    setup: {
      connections: CONNECTIONS,
      rounds: ROUNDS,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      traffic: 'signed text/first/complete callbacks, a new task every 3 requests',
      serverInChildProcess: true,
    },
    runs,
    summary,
    ratios: { vsExpress: round3(vsExpress), vsNodeHttp: round3(vsNode) },
    capacityRatios: { vsExpress: round3(capacity('express')), vsNodeHttp: round3(capacity('node-http')) },
    targets: { vsExpressAtLeast: 2, vsNodeHttpAtLeast: 0.6, p99BelowMs: 10 },
    meetsTargets: {
      vsExpress: vsExpress === null ? null : vsExpress >= 2,
      vsNodeHttp: vsNode === null ? null : vsNode >= 0.6,
      p99: ours ? ours.p99Ms < 10 : null,
    },
  };
  await writeReport(OUT_DIR, isSmoke ? 'receiver.smoke.json' : 'receiver.json', report);
}

const serveSide = args.find((a) => a.startsWith('--serve='))?.slice(8) as Side | undefined;
if (serveSide) await serve(serveSide);
else await main();
