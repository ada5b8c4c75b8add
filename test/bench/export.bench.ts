// Export benchmark (a script, not a test): `export.run` writing 12 aligned 24-bit WAV stems from the
// PCM cache against ffmpeg converting the same MP3s to 24-bit WAV one after another, A/B alternated
// over several rounds, medians compared. Target: ours at least 2x faster.
// Run: npx node test/bench/export.bench.ts [--smoke] [--out=DIR]   (smoke: 10 s files instead of 4 min)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngestor } from '../../electron/core/audio/index.ts';
import { createExportHandlers } from '../../electron/core/export/handlers.ts';
import type { Events } from '../../shared/api.ts';
import { createEmitter } from '../../shared/emitter.ts';
import { createStore } from '../../electron/core/store/index.ts';
import { SPLIT_STEMS } from '../../shared/domain.ts';
import { stemTrack } from '../../shared/kie/tracks.ts';
import { makeTask } from '../helpers/task.ts';
import * as bench from './report.ts';

const { isSmoke, outDir: RESULTS_DIR, inputSeconds: SECONDS } = bench.benchFlags();
const FILES = 12;
const ROUNDS = isSmoke ? 2 : 5;
const KBPS = 192;

/** A sine on the left and pink noise on the right, as in the ingest benchmark. */
async function generate(dir: string): Promise<string[]> {
  const files = Array.from({ length: FILES }, (_, i) => join(dir, `stem${String(i).padStart(2, '0')}.mp3`));
  for (const [i, file] of files.entries())
    await bench.writeBenchMp3(file, { seconds: SECONDS, index: i, kbps: KBPS });
  return files;
}

/** A library with one split task whose 12 stems are the ingested MP3s (the state after download). */
async function library(dir: string, files: string[]) {
  const store = createStore(join(dir, 'bench.db'));
  const taskId = '00000000-0000-4000-8000-000000000001';
  store.tasks.insert(makeTask({ id: taskId, kie_task_id: 'bench', kind: 'split_stem', title: 'Bench Song' }));
  const ingestor = createIngestor();
  const counts: number[] = [];
  for (const [i, mp3Path] of files.entries()) {
    const stem = SPLIT_STEMS[i] ?? 'fx';
    const announced = stemTrack(stem, `https://example.invalid/${stem}.mp3`, null, null);
    const { trackId } = store.tracks.merge(taskId, announced, true, 'callback', Date.now());
    const audio = await bench.withTimeout(
      ingestor.ingest({ mp3Path, outBase: join(dir, 'cache', trackId) }),
      `ingesting ${mp3Path}`,
    );
    counts.push(audio.sampleCount);
    store.tracks.setIngested(trackId, { localPath: mp3Path, ...audio }, Date.now());
  }
  await ingestor.close();
  return { store, taskId, counts };
}

async function main(): Promise<void> {
  const loadAtStart = bench.loadNow();
  const dir = await mkdtemp(join(tmpdir(), 'stemhook-bench-export-'));
  try {
    console.log(`generating and ingesting ${FILES} stereo MP3s of ${SECONDS} s at ${KBPS} kbps...`);
    const files = await generate(dir);
    const { store, taskId, counts } = await library(dir, files);
    const api = createExportHandlers({
      store,
      events: createEmitter<Events>(),
      dataDir: dir,
      defaultDir: dir,
      isPrerenderEnabled: false,
    });
    const hasFfmpeg = existsSync(bench.FFMPEG);
    const ours: number[] = [];
    const ffmpeg: number[] = [];
    let sampleCounts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first so page cache and CPU boost favour neither.
      for (const side of round % 2 === 0 ? ['ours', 'ffmpeg'] : ['ffmpeg', 'ours']) {
        const out = join(dir, `out-${side}`);
        await rm(out, { recursive: true, force: true });
        await mkdir(out, { recursive: true });
        const start = performance.now();
        if (side === 'ours') {
          const result = await bench.withTimeout(
            api['export.run']({
              taskId,
              outDir: out,
              format: 'wav24',
              rate: 'source',
              sessions: [],
              mixdown: 'none',
              source: 'mp3',
            }),
            'export.run',
          );
          ours.push(performance.now() - start);
          sampleCounts = result.files.filter((f) => f.kind === 'stem').map((f) => f.sampleCount ?? 0);
        } else if (hasFfmpeg) {
          for (const [i, file] of files.entries())
            await bench.run(bench.FFMPEG, [
              '-v',
              'error',
              '-i',
              file,
              '-c:a',
              'pcm_s24le',
              '-y',
              join(out, `stem${i}.wav`),
            ]);
          ffmpeg.push(performance.now() - start);
        }
      }
      console.log(
        `round ${round + 1}: ours ${ours.at(-1)?.toFixed(0)} ms, ffmpeg ${ffmpeg.at(-1)?.toFixed(0) ?? '-'} ms`,
      );
    }
    store.close();
    const oursMedian = bench.median(ours);
    const ffmpegMedian = hasFfmpeg ? bench.median(ffmpeg) : null;
    const speedup = ffmpegMedian ? ffmpegMedian / oursMedian : null;
    const audioSec = FILES * SECONDS;
    console.table([
      {
        side: 'ours: export.run, 12 x 24-bit WAV from the PCM cache',
        medianMs: Math.round(oursMedian),
        realtimeX: Math.round((audioSec * 1000) / oursMedian),
      },
      ...(ffmpegMedian
        ? [
            {
              side: 'ffmpeg -c:a pcm_s24le from the MP3s, sequential',
              medianMs: Math.round(ffmpegMedian),
              realtimeX: Math.round((audioSec * 1000) / ffmpegMedian),
            },
          ]
        : []),
    ]);
    console.log(
      speedup === null
        ? 'ffmpeg not installed: no ratio'
        : `speed-up ffmpeg/ours = ${speedup.toFixed(2)}x (target: >= 2.00x)`,
    );
    console.log(
      `all exported sample counts equal: ${new Set(sampleCounts).size === 1} (${sampleCounts[0]}); decoded: ${[...new Set(counts)].join(', ')}`,
    );
    const report = {
      date: new Date().toISOString(),
      smoke: isSmoke,
      machine: bench.machine(loadAtStart),
      input: { files: FILES, secondsEach: SECONDS, kbps: KBPS, generator: hasFfmpeg ? 'ffmpeg' : 'lamejs' },
      what: 'ours: export.run (plan, 12 aligned 24-bit WAVs, provenance.json) from the PCM cache; ffmpeg: -c:a pcm_s24le per MP3, one after another',
      rounds: ROUNDS,
      oursMs: ours.map(Math.round),
      ffmpegMs: ffmpeg.map(Math.round),
      oursMedianMs: Math.round(oursMedian),
      ffmpegMedianMs: ffmpegMedian === null ? null : Math.round(ffmpegMedian),
      speedup: bench.round3(speedup),
      meetsTarget: speedup === null ? null : speedup >= 2,
      sampleCounts,
    };
    await bench.writeReport(RESULTS_DIR, 'export.json', report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
