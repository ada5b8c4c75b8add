// FLAC source benchmark (a script, not a test): our decoder's ingest of a 4-minute stereo 44.1 kHz
// FLAC (decode + s24le PCM cache + peaks, one thread) against `ffmpeg -i x.flac -f s24le` writing the
// same bytes to a file, side by side over several rounds, medians compared. Needs ffmpeg (it makes
// the input); without it the bench says so and exits 0.
// Run: npx node test/bench/flac.bench.ts [--smoke] [--out=DIR]   (smoke: a 10 s file)
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFlacFile } from '../../electron/core/audio/flac/ingest-flac.ts';
import {
  benchFlags,
  FFMPEG,
  loadNow,
  machine,
  median,
  round3,
  run,
  withTimeout,
  writeReport,
} from './report.ts';

const { isSmoke, outDir: RESULTS_DIR, inputSeconds: SECONDS } = benchFlags();
const ROUNDS = isSmoke ? 2 : 5;

/** A sine on the left and pink noise on the right, FLAC at ffmpeg's default level (5). */
async function generate(file: string): Promise<void> {
  const tone = `sine=frequency=220:sample_rate=44100:duration=${SECONDS}`;
  const noise = `anoisesrc=color=pink:sample_rate=44100:amplitude=0.3:duration=${SECONDS}:seed=3`;
  await run(FFMPEG, [
    ...['-v', 'error', '-f', 'lavfi', '-i', tone, '-f', 'lavfi', '-i', noise],
    ...['-filter_complex', '[0:a][1:a]amerge=inputs=2[a]', '-map', '[a]'],
    ...['-c:a', 'flac', '-sample_fmt', 's16', '-y', file],
  ]);
}

async function timeOurs(flacPath: string, outBase: string): Promise<{ ms: number; rssMb: number }> {
  let maxRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 10);
  const start = performance.now();
  await withTimeout(ingestFlacFile({ flacPath, outBase }), 'our FLAC ingest');
  const ms = performance.now() - start;
  clearInterval(sampler);
  return { ms, rssMb: maxRss / 2 ** 20 };
}

async function timeFfmpeg(flacPath: string, out: string): Promise<number> {
  const start = performance.now();
  await run(FFMPEG, ['-v', 'error', '-i', flacPath, '-f', 's24le', '-c:a', 'pcm_s24le', '-y', out]);
  return performance.now() - start;
}

async function main(): Promise<void> {
  if (!existsSync(FFMPEG)) {
    console.log(
      'flac bench skipped: /usr/bin/ffmpeg is not installed (it makes the input and is the baseline)',
    );
    return;
  }
  const loadAtStart = loadNow();
  const dir = await mkdtemp(join(tmpdir(), 'stemhook-bench-flac-'));
  try {
    const flacPath = join(dir, 'song.flac');
    console.log(`generating a ${SECONDS} s stereo 44.1 kHz 16-bit FLAC...`);
    await generate(flacPath);
    const rssBefore = process.memoryUsage.rss() / 2 ** 20;
    // Untimed first pass of each side (JIT warm-up, page cache).
    await timeOurs(flacPath, join(dir, 'ours'));
    await timeFfmpeg(flacPath, join(dir, 'ffmpeg.s24'));
    const ours: number[] = [];
    const ffmpeg: number[] = [];
    let maxRssMb = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first so page cache and CPU boost favour neither.
      for (const side of round % 2 === 0 ? ['ours', 'ffmpeg'] : ['ffmpeg', 'ours']) {
        if (side === 'ours') {
          const timing = await timeOurs(flacPath, join(dir, 'ours'));
          ours.push(timing.ms);
          maxRssMb = Math.max(maxRssMb, timing.rssMb);
        } else ffmpeg.push(await timeFfmpeg(flacPath, join(dir, 'ffmpeg.s24')));
      }
      console.log(
        `round ${round + 1}: ours ${ours.at(-1)?.toFixed(0)} ms, ffmpeg ${ffmpeg.at(-1)?.toFixed(0)} ms`,
      );
    }
    // Checked after the timed rounds: reading both outputs whole would inflate the RSS measured.
    const isExact = (await readFile(join(dir, 'ours.pcm'))).equals(await readFile(join(dir, 'ffmpeg.s24')));
    const oursMs = median(ours);
    const ffmpegMs = median(ffmpeg);
    const ratio = oursMs / ffmpegMs;
    const audioMs = SECONDS * 1000;
    const cacheMb = (await stat(join(dir, 'ours.pcm'))).size / 2 ** 20;
    console.table([
      {
        side: 'ours: FLAC ingest (decode + PCM cache + peaks), 1 thread',
        medianMs: Math.round(oursMs),
        realtimeX: Math.round(audioMs / oursMs),
      },
      {
        side: 'ffmpeg -f s24le to a file',
        medianMs: Math.round(ffmpegMs),
        realtimeX: Math.round(audioMs / ffmpegMs),
      },
    ]);
    console.log(
      `wall ratio ours/ffmpeg = ${ratio.toFixed(2)}; cache bit-exact with ffmpeg: ${isExact}; ` +
        `RSS ${rssBefore.toFixed(0)} MB before, ${maxRssMb.toFixed(0)} MB at most while decoding (the cache is ${cacheMb.toFixed(0)} MB)`,
    );
    await writeReport(RESULTS_DIR, isSmoke ? 'flac.smoke.json' : 'flac.json', {
      date: new Date().toISOString(),
      smoke: isSmoke,
      machine: machine(loadAtStart),
      input: {
        seconds: SECONDS,
        sampleRate: 44100,
        channels: 2,
        bits: 16,
        bytes: (await stat(flacPath)).size,
      },
      rounds: ROUNDS,
      ours: { wallMs: ours.map(Math.round), medianMs: Math.round(oursMs) },
      ffmpeg: { wallMs: ffmpeg.map(Math.round), medianMs: Math.round(ffmpegMs) },
      ratio: round3(ratio),
      isBitExact: isExact,
      rssMb: {
        before: Math.round(rssBefore),
        maxWhileDecoding: Math.round(maxRssMb),
        cacheMb: Math.round(cacheMb),
      },
    });
    if (!isExact) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
