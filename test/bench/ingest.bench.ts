// Ingest benchmark (a script, not a test): our worker-pool ingest of 12 stereo MP3 stems against
// ffmpeg decoding the same files one after another, A/B over several rounds, medians compared.
// Run: npx node test/bench/ingest.bench.ts [--smoke] [--out=DIR]   (smoke: 10 s files instead of 4 min)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngestor } from '../../electron/core/audio/index.ts';
import {
  benchFlags,
  FFMPEG,
  loadNow,
  machine,
  median,
  ratioText,
  round3,
  run,
  withTimeout,
  writeBenchMp3,
  writeReport,
} from './report.ts';

const { isSmoke, outDir: RESULTS_DIR, inputSeconds: SECONDS } = benchFlags();
const FILES = 12;
const ROUNDS = isSmoke ? 2 : 5;
const KBPS = 192;
const SOX = '/usr/bin/sox';

function soxWritesMp3(): boolean {
  return (
    existsSync(SOX) &&
    spawnSync(SOX, ['-h'])
      .stdout.toString()
      .match(/AUDIO FILE FORMATS:.*\bmp3\b/) !== null
  );
}

/** A sine on the left and pink-ish noise on the right, so each stem is a realistic MP3 to decode. */
async function generate(dir: string): Promise<{ files: string[]; tool: string }> {
  const files = Array.from({ length: FILES }, (_, i) => join(dir, `stem${String(i).padStart(2, '0')}.mp3`));
  const tool = existsSync(FFMPEG) ? 'ffmpeg' : soxWritesMp3() ? 'sox' : 'lamejs';
  const make = async (file: string, i: number): Promise<void> => {
    if (tool === 'sox')
      await run(SOX, [
        ...['-n', '-r', '44100', '-c', '2', '-C', String(KBPS), file],
        ...['synth', String(SECONDS), 'sine', String(110 * (i + 1)), 'pinknoise'],
      ]);
    else await writeBenchMp3(file, { seconds: SECONDS, index: i, kbps: KBPS });
  };
  for (let i = 0; i < files.length; i += 2)
    await Promise.all(files.slice(i, i + 2).map((file, j) => make(file, i + j)));
  return { files, tool };
}

interface Timing {
  ms: number;
  /** CPU time (user + system) of every thread involved; less sensitive than wall time to other load. */
  cpuMs: number | null;
}

/** CPU time of waited-for child processes, from /proc (Linux; clock ticks assumed at USER_HZ = 100). */
function childrenCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function timeOurs(
  files: string[],
  outDir: string,
): Promise<Timing & { maxRssMb: number; sampleCounts: number[] }> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  let maxRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 25);
  const cpuStart = ownCpuMs();
  const start = performance.now();
  const ingestor = createIngestor();
  const results = await withTimeout(
    Promise.all(files.map((mp3Path, i) => ingestor.ingest({ mp3Path, outBase: join(outDir, `stem${i}`) }))),
    'ingesting the inputs',
  );
  await ingestor.close();
  const ms = performance.now() - start;
  clearInterval(sampler);
  return {
    ms,
    cpuMs: ownCpuMs() - cpuStart,
    maxRssMb: maxRss / 2 ** 20,
    sampleCounts: results.map((r) => r.sampleCount),
  };
}

async function timeFfmpeg(files: string[]): Promise<Timing> {
  const cpuStart = childrenCpuMs();
  const start = performance.now();
  for (const file of files) await run(FFMPEG, ['-v', 'error', '-i', file, '-f', 's16le', '-y', '/dev/null']);
  const ms = performance.now() - start;
  const cpuEnd = childrenCpuMs();
  return { ms, cpuMs: cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart };
}

function summarise(timings: Timing[]): { wallMs: number[]; medianMs: number; medianCpuMs: number | null } {
  const cpu = timings.map((t) => t.cpuMs).filter((v): v is number => v !== null);
  return {
    wallMs: timings.map((t) => Math.round(t.ms)),
    medianMs: Math.round(median(timings.map((t) => t.ms))),
    medianCpuMs: cpu.length ? Math.round(median(cpu)) : null,
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadNow();
  const dir = await mkdtemp(join(tmpdir(), 'stemhook-bench-ingest-'));
  try {
    console.log(`generating ${FILES} stereo MP3s of ${SECONDS} s at ${KBPS} kbps...`);
    const { files, tool } = await generate(dir);
    const hasFfmpeg = existsSync(FFMPEG);
    const ours: Timing[] = [];
    const ffmpeg: Timing[] = [];
    let maxRssMb = 0;
    let sampleCounts: number[] = [];
    // One untimed pass of each side first: the first 760 MB of PCM written in a fresh VM costs
    // several times more than later ones (page cache memory being faulted in), which is not ingest.
    const warmup = await timeOurs(files, join(dir, 'out'));
    const warmupFfmpeg = hasFfmpeg ? await timeFfmpeg(files) : null;
    console.log(
      `warm-up (not counted): ours ${warmup.ms.toFixed(0)} ms, ffmpeg ${warmupFfmpeg?.ms.toFixed(0) ?? '-'} ms`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first so page cache and CPU boost favour neither.
      const order = round % 2 === 0 ? ['ours', 'ffmpeg'] : ['ffmpeg', 'ours'];
      for (const side of order) {
        if (side === 'ours') {
          const result = await timeOurs(files, join(dir, 'out'));
          ours.push(result);
          maxRssMb = Math.max(maxRssMb, result.maxRssMb);
          sampleCounts = result.sampleCounts;
        } else if (hasFfmpeg) {
          ffmpeg.push(await timeFfmpeg(files));
        }
      }
      const last = (timings: Timing[]): string =>
        timings.length
          ? `${timings.at(-1)?.ms.toFixed(0)} ms (cpu ${timings.at(-1)?.cpuMs?.toFixed(0) ?? '-'} ms)`
          : '-';
      console.log(`round ${round + 1}: ours ${last(ours)}, ffmpeg ${last(ffmpeg)}`);
    }
    const audioMs = FILES * SECONDS * 1000;
    const oursSummary = summarise(ours);
    const ffmpegSummary = hasFfmpeg ? summarise(ffmpeg) : null;
    const ratio = ffmpegSummary ? oursSummary.medianMs / ffmpegSummary.medianMs : null;
    const cpuRatio =
      ffmpegSummary?.medianCpuMs && oursSummary.medianCpuMs
        ? oursSummary.medianCpuMs / ffmpegSummary.medianCpuMs
        : null;
    const row = (side: string, summary: ReturnType<typeof summarise>) => ({
      side,
      medianMs: summary.medianMs,
      realtimeX: Math.round(audioMs / summary.medianMs),
      medianCpuMs: summary.medianCpuMs ?? '-',
    });
    console.table([
      row('ours: ingest (decode + PCM cache + peaks), 2 workers', oursSummary),
      ...(ffmpegSummary ? [row('ffmpeg -f s16le /dev/null, one after another', ffmpegSummary)] : []),
    ]);
    console.log(
      ratio === null
        ? 'ffmpeg not installed: no ratio'
        : `wall ratio ours/ffmpeg = ${ratio.toFixed(2)} (target: <= 1.00); cpu ratio ${ratioText(cpuRatio)}`,
    );
    console.log(
      `all sample counts equal: ${new Set(sampleCounts).size === 1} (${sampleCounts[0]}); max RSS ${maxRssMb.toFixed(0)} MB`,
    );
    const report = {
      date: new Date().toISOString(),
      smoke: isSmoke,
      machine: machine(loadAtStart),
      input: { files: FILES, secondsEach: SECONDS, kbps: KBPS, generator: tool },
      rounds: ROUNDS,
      warmupMs: { ours: Math.round(warmup.ms), ffmpeg: warmupFfmpeg ? Math.round(warmupFfmpeg.ms) : null },
      ours: oursSummary,
      ffmpeg: ffmpegSummary,
      ratio: round3(ratio),
      cpuRatio: round3(cpuRatio),
      meetsTarget: ratio === null ? null : ratio <= 1,
      maxRssMb: Math.round(maxRssMb),
      sampleCounts,
    };
    await writeReport(RESULTS_DIR, 'ingest.json', report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
