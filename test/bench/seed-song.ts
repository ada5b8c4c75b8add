// Seeds a benchmark library with 13-lane songs (a take, the A/B source, and its 12 stems) ingested
// for real into the library folder (the audio routes serve nothing outside it). Longer songs reuse
// the same decoded stems: their PCM caches and stored peaks are the short ones repeated, so a
// 20-minute song costs no 20-minute encode.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { STEM_NAMES, type StemName } from '../../shared/domain.ts';
import { createIngestor, type IngestResult } from '../../electron/core/audio/index.ts';
import { encodePeaks, readPeaks } from '../../electron/core/audio/peaks.ts';
import { createStore } from '../../electron/core/store/index.ts';
import { makeTask } from '../helpers/task.ts';
import { withTimeout, writeBenchMp3 } from './report.ts';

const STEMS = STEM_NAMES.filter((s) => s !== 'take' && s !== 'instrumental');
const NAMES: StemName[] = ['take', ...STEMS];

export interface SeededSong {
  splitId: string;
  seconds: number;
  /** Bytes of int16 PCM the song's lanes hold in all (what a whole-song engine keeps in memory). */
  bytesInt16: number;
}

export interface SeededLibrary {
  songs: SeededSong[];
  /** The stems' MP3s, for benches that need more audio to ingest (another split downloading). */
  mp3Files: string[];
}

async function repeatFile(from: string, to: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++)
    await pipeline(createReadStream(from), createWriteStream(to, { flags: i === 0 ? 'w' : 'a' }));
}

/** Peaks of the PCM repeated `times` times: every level repeated, so a long song draws (and costs the
 * studio) what a real song of that length would, not its first minutes padded with silence. */
async function repeatPeaks(from: string, to: string, times: number): Promise<void> {
  const peaks = await readPeaks(from);
  const levels = peaks.levels.map((level) => ({
    samplesPerPeak: level.samplesPerPeak,
    peakCount: level.peakCount * times,
    data: level.data.map((channel) => {
      const out = new Int16Array(channel.length * times);
      for (let i = 0; i < times; i++) out.set(channel, i * channel.length);
      return out;
    }),
  }));
  await writeFile(to, encodePeaks({ ...peaks, sampleCount: peaks.sampleCount * times, levels }));
}

/** One song per entry of `repeats` (1: the stems as made, 5: five times as long), all in one library. */
export async function seedSongs(
  dataDir: string,
  seconds: number,
  repeats: number[] = [1],
): Promise<SeededLibrary> {
  const audioDir = join(dataDir, 'library', 'bench-audio');
  await mkdir(audioDir, { recursive: true });
  const files = NAMES.map((name) => join(audioDir, `${name}.mp3`));
  for (let i = 0; i < files.length; i += 2)
    await Promise.all(
      files
        .slice(i, i + 2)
        .map((file, j) => writeBenchMp3(file, { seconds, index: i + j, noiseAmplitude: 0.2 })),
    );
  const ingestor = createIngestor();
  const audio = await withTimeout(
    Promise.all(
      files.map((mp3Path, i) => ingestor.ingest({ mp3Path, outBase: join(audioDir, NAMES[i] ?? 'x') })),
    ),
    'ingesting the lanes',
  );
  await ingestor.close();
  const songs: SeededSong[] = [];
  for (const times of repeats) {
    const lanes: IngestResult[] = [];
    for (const result of audio) {
      if (times === 1) {
        lanes.push(result);
        continue;
      }
      const pcmPath = result.pcmPath.replace(/\.pcm$/, `-x${times}.pcm`);
      await repeatFile(result.pcmPath, pcmPath, times);
      const peaksPath = result.peaksPath.replace(/(\.[^./]+)$/, `-x${times}$1`);
      await repeatPeaks(result.peaksPath, peaksPath, times);
      lanes.push({
        ...result,
        pcmPath,
        peaksPath,
        sampleCount: result.sampleCount * times,
        durationSec: result.durationSec * times,
      });
    }
    songs.push(insertSong(dataDir, seconds * times, lanes, files));
  }
  return { songs, mp3Files: files.slice(1) };
}

function insertSong(dataDir: string, seconds: number, audio: IngestResult[], files: string[]): SeededSong {
  const store = createStore(join(dataDir, 'stemhook.db'));
  const at = Date.now();
  const task = (id: string, kind: 'add-instrumental' | 'split_stem', parent: string | null) =>
    makeTask({
      id,
      kind,
      title: `Bench Song ${Math.round(seconds / 60)} min`,
      parent_task_id: parent,
      parent_audio_id: parent ? 'take-1' : null,
      created_at: at,
    });
  const parentId = randomUUID();
  const splitId = randomUUID();
  store.transaction(() => {
    store.tasks.insert(task(parentId, 'add-instrumental', null));
    store.tasks.insert(task(splitId, 'split_stem', parentId));
    NAMES.forEach((stem, i) => {
      const owner = stem === 'take' ? parentId : splitId;
      const announced = {
        key: stem === 'take' ? 'take-1' : stem,
        audioId: stem === 'take' ? 'take-1' : null,
        stem,
        title: null,
        url: null,
        streamUrl: null,
        imageUrl: null,
        durationSec: seconds,
        tags: null,
        prompt: null,
        modelName: null,
      };
      const { trackId } = store.tracks.merge(owner, announced, true, 'record-info', at);
      const result = audio[i];
      if (result) store.tracks.setIngested(trackId, { ...result, localPath: files[i] ?? '' }, at);
    });
    for (const id of [parentId, splitId]) {
      store.tasks.addStage(id, 'complete', at, 'record-info');
      store.tasks.setState(id, 'complete', at, null);
    }
  });
  store.close();
  return {
    splitId,
    seconds,
    bytesInt16: audio.reduce((sum, a) => sum + a.sampleCount * a.channels * 2, 0),
  };
}
