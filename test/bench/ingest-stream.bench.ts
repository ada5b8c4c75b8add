// Decode-while-downloading benchmark (a script, not a test; issue 11 §4): 12 stereo MP3s served by
// the simulator's file route throttled to ~2 MB/s per file, fetched by the real downloader (3 at a
// time) into a temp library, once decoding after each download (today's path) and once decoding
// as the bytes arrive. Prints, per mode, the time from each file's last byte (as the downloader
// received it) to its stem being ready in the store (peaks, PCM cache, sample count), and the process
// CPU against ffmpeg decoding the same files. Every wait has a timeout.
// Run: npx node test/bench/ingest-stream.bench.ts [--smoke]   (smoke: 10 s files)
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngestor } from '../../electron/core/audio/index.ts';
import { createDownloader } from '../../electron/core/pipeline/downloader.ts';
import { createFileStore } from '../../electron/core/simulator/file-store.ts';
import { serveFile } from '../../electron/core/simulator/routes-files.ts';
import { SPLIT_STEMS } from '../../shared/domain.ts';
import { stemTrack } from '../../shared/kie/tracks.ts';
import { createTempStore, insertTestTask } from '../helpers/temp-store.ts';
import { encodeToneMp3 } from '../helpers/tone-mp3.ts';
import { run, withTimeout } from './report.ts';

const isSmoke = process.argv.includes('--smoke');
const SECONDS = isSmoke ? 10 : 240;
const FILES = 12;
const KBPS = 192;
const BYTES_PER_SECOND = 2_000_000;
const FFMPEG = '/usr/bin/ffmpeg';
/** Generous: 12 files at 2 MB/s, 3 at a time, take about 12 s; a hang must fail, not wait forever. */
const RUN_TIMEOUT_MS = 10 * 60_000;

async function makeFiles(dir: string): Promise<string[]> {
  const files = Array.from({ length: FILES }, (_, i) => join(dir, `stem${i}.mp3`));
  for (const [i, file] of files.entries()) {
    if (existsSync(FFMPEG)) {
      const noise = `anoisesrc=color=pink:amplitude=0.3:duration=${SECONDS}:seed=${i + 1}`;
      await run(FFMPEG, [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        noise,
        '-ac',
        '2',
        '-b:a',
        `${KBPS}k`,
        '-y',
        file,
      ]);
    } else {
      await writeFile(file, encodeToneMp3({ kind: 'noise', seconds: SECONDS, kbps: KBPS, seed: i + 1 }));
    }
  }
  return files;
}

/** The simulator's own file route with its throttle. */
async function startThrottledFiles(files: string[]): Promise<{ server: Server; base: string }> {
  const store = createFileStore();
  for (const [i, file] of files.entries()) {
    const bytes = await readFile(file);
    store.put(`/files/stem${i}.mp3`, {
      contentType: 'audio/mpeg',
      expiresAt: Infinity,
      load: async () => bytes,
      audioSeed: null,
      durationSec: SECONDS,
    });
  }
  const closing = new AbortController();
  const server = createServer((req, res) => {
    void serveFile(req, res, store, req.url ?? '', {
      fault: null,
      bytesPerSecond: BYTES_PER_SECOND,
      signal: closing.signal,
    });
  });
  server.on('close', () => closing.abort());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU of waited-for children, from /proc (Linux; USER_HZ = 100). */
function childrenCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

type Mode = 'download only' | 'download, then decode' | 'decode while downloading';

async function runMode(mode: Mode, base: string) {
  const temp = createTempStore();
  const ingestor = createIngestor({ streamWorkers: 3 });
  try {
    const { store } = temp;
    const task = insertTestTask(store, { kind: 'split_stem' });
    const trackIds: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const stem = SPLIT_STEMS[i] ?? 'vocals';
      const { trackId } = store.tracks.merge(
        task.id,
        stemTrack(stem, 'unused', null, SECONDS),
        false,
        'callback',
        0,
      );
      store.downloads.enqueue(trackId, `${base}/files/stem${i}.mp3`, 0);
      trackIds.push(trackId);
    }
    // When the downloader had each file's last byte (by output base): it ends the streaming decode's
    // input then, and hands a finished file to the decoder right after it. Measured on the receiving
    // side, in the host's own process, as a producer would see the stem arrive.
    const lastByteAt = new Map<string, number>();
    const readyAt = new Map<string, number>();
    const decodeTails: number[] = [];
    let finishDone: () => void = () => undefined;
    const allReady = new Promise<void>((resolve) => (finishDone = resolve));
    const fakeResult = (outBase: string) => ({
      ...{ sampleRate: 44100, channels: 2, sampleCount: 1, durationSec: 0 },
      ...{
        pcmPath: `${outBase}.pcm`,
        peaksPath: `${outBase}.peaks`,
        peakDb: 0,
        rmsDb: 0,
        isNearSilent: false,
      },
    });
    const downloader = createDownloader({
      store,
      libraryDir: join(temp.dir, 'library'),
      allowLoopback: true,
      concurrency: 3,
      ingest:
        mode === 'download only'
          ? ({ outBase }) => (
              lastByteAt.set(outBase, performance.now()),
              Promise.resolve(fakeResult(outBase))
            )
          : (input) => (lastByteAt.set(input.outBase, performance.now()), ingestor.ingest(input)),
      ...(mode === 'decode while downloading'
        ? {
            ingestStream: (input) => {
              // How long the decode still ran after the downloader handed it the last byte.
              const stream = ingestor.ingestStream(input);
              let endedAt = 0;
              void stream.result
                .then(() => decodeTails.push(performance.now() - endedAt))
                .catch(() => undefined);
              const end = (bytes: number) => {
                endedAt = performance.now();
                lastByteAt.set(input.outBase, endedAt);
                return stream.end(bytes);
              };
              return { ...stream, end };
            },
          }
        : {}),
      onChange: ({ trackId }) => {
        const track = store.tracks.get(trackId);
        if ((track?.state !== 'ready' && track?.state !== 'error') || readyAt.has(trackId)) return;
        if (track.state === 'error') console.error(`${mode}: ${trackId} failed: ${track.error}`);
        readyAt.set(trackId, performance.now());
        if (readyAt.size === FILES) finishDone();
      },
    });
    const cpuStart = cpuMs();
    const start = performance.now();
    downloader.start();
    await withTimeout(allReady, `${mode}: all ${FILES} stems ready`, RUN_TIMEOUT_MS);
    const wallMs = performance.now() - start;
    const cpu = cpuMs() - cpuStart;
    await withTimeout(downloader.stop(), `${mode}: downloader stop`, 30_000);
    const gaps = [...readyAt].map(([trackId, at]) => {
      const outBase = store.tracks.get(trackId)?.pcm_path?.replace(/\.pcm$/, '') ?? '';
      const lastByte = lastByteAt.get(outBase);
      if (lastByte === undefined) throw new Error(`${mode}: no last byte recorded for ${outBase}`);
      return at - lastByte;
    });
    const sampleCounts = trackIds.map((id) => store.tracks.get(id)?.sample_count ?? 0);
    return { mode, wallMs, cpuMs: cpu, gaps, decodeTails, sampleCounts };
  } finally {
    await withTimeout(ingestor.close(), 'closing the ingestor', 30_000);
    temp.cleanup();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'stemhook-bench-stream-'));
  let server: Server | null = null;
  try {
    console.log(`generating ${FILES} stereo MP3s of ${SECONDS} s at ${KBPS} kbps...`);
    const files = await makeFiles(dir);
    const started = await startThrottledFiles(files);
    server = started.server;
    const { base } = started;
    const modes: Mode[] = ['download only', 'download, then decode', 'decode while downloading'];
    const results = [];
    for (const mode of modes) {
      console.log(`running: ${mode} (${FILES} files at ${BYTES_PER_SECOND / 1e6} MB/s each, 3 at a time)...`);
      results.push(await runMode(mode, base));
    }
    const ffmpegCpuStart = childrenCpuMs();
    const ffmpegStart = performance.now();
    if (existsSync(FFMPEG))
      for (const file of files)
        await run(FFMPEG, ['-v', 'error', '-i', file, '-f', 's16le', '-y', '/dev/null']);
    const ffmpegMs = performance.now() - ffmpegStart;
    const ffmpegCpuEnd = childrenCpuMs();
    const ffmpegCpu = ffmpegCpuStart === null || ffmpegCpuEnd === null ? null : ffmpegCpuEnd - ffmpegCpuStart;
    const transportCpu = results[0]?.cpuMs ?? 0;
    console.table(
      results.map((r) => ({
        mode: r.mode,
        // Download only has nothing to wait for after the last byte: its row is the transport's cost.
        'last byte → ready, median ms': r.mode === 'download only' ? '-' : Math.round(percentile(r.gaps, 50)),
        'p90 ms': r.mode === 'download only' ? '-' : Math.round(percentile(r.gaps, 90)),
        'max ms': r.mode === 'download only' ? '-' : Math.round(Math.max(...r.gaps)),
        'decode after last byte, median ms': r.decodeTails.length
          ? Math.round(percentile(r.decodeTails, 50))
          : '-',
        'wall ms': Math.round(r.wallMs),
        'process CPU ms': Math.round(r.cpuMs),
        'decode CPU ms (minus download only)':
          r.mode === 'download only' ? '-' : Math.round(r.cpuMs - transportCpu),
      })),
    );
    console.log(
      `ffmpeg decoding the same ${FILES} files one after another: ${Math.round(ffmpegMs)} ms wall, CPU ${ffmpegCpu ?? '-'} ms`,
    );
    const [, after, streamed] = results;
    const isSame =
      after && streamed && after.sampleCounts.every((count, i) => count === streamed.sampleCounts[i]);
    console.log(`sample counts equal in both decoding modes: ${isSame} (${streamed?.sampleCounts[0]} each)`);
    console.log(
      `machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}; target: ready within 300 ms of the last byte`,
    );
  } finally {
    server?.closeAllConnections();
    server?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
