// The A/B source and the residual of a split, on demand: an uploaded source is decoded once into the
// PCM cache and peaks (a split of a take uses that take's cache), resampled once more when its stems
// came back at another rate, and the residual (source − all stems) is computed once in a decode
// worker and kept beside the stems with its measurements.
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { DerivedTrackView, ResidualView } from '../../../shared/api.ts';
import type { Ingestor, ResidualResult } from '../audio/index.ts';
import { readPeaks } from '../audio/index.ts';
import { derivedBase, derivedTrackId } from '../audio/derived-tracks.ts';
import { outputPaths } from '../audio/output-paths.ts';
import { BYTES_PER_SAMPLE } from '../audio/pcm-cache.ts';
import type { PcmRef } from '../audio/residual/types.ts';
import type { ResidualSource } from '../export/plan.ts';
import { resampledLength } from '../export/resampler.ts';
import type { Store, TrackRow } from '../store/index.ts';
import { NotFoundError } from './api-errors.ts';

const SPLIT_KINDS: readonly string[] = ['separate_vocal', 'split_stem'];
/** Bumped when the residual job changes what it computes, so an old cache is recomputed. */
const RESIDUAL_VERSION = 1;

interface SplitAudioDeps {
  getStore: () => Store;
  libraryDir: string;
  ingestor: Pick<Ingestor, 'ingestSource' | 'residual' | 'conformRate'>;
}

interface StoredResidual {
  version: number;
  stems: string[];
  /** The source cache it was computed from (`sourceKey`): a re-decoded or re-conformed source recomputes it. */
  source: string;
  /** The uploaded source's own rate when it was resampled to the stems' first. */
  sourceResampledFrom: number | null;
  result: ResidualResult;
}

interface SplitSource {
  ref: PcmRef;
  trackId: string;
  /** The uploaded file's own rate when `ref` is its copy conformed to the stems' rate. */
  resampledFrom: number | null;
}

const sourceKey = (ref: PcmRef) => `${ref.pcmPath}|${ref.sampleRate}|${ref.channels}|${ref.sampleCount}`;

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function isReadyCache(row: TrackRow | undefined): row is TrackRow & { pcm_path: string } {
  return (
    row?.state === 'ready' &&
    row.pcm_path !== null &&
    row.sample_rate !== null &&
    row.channels !== null &&
    row.sample_count !== null
  );
}

function pcmRefOf(row: TrackRow & { pcm_path: string }): PcmRef {
  return {
    pcmPath: row.pcm_path,
    channels: row.channels ?? 2,
    sampleRate: row.sample_rate ?? 44100,
    sampleCount: row.sample_count ?? 0,
  };
}

export function createSplitAudio(deps: SplitAudioDeps) {
  const inFlight = new Map<string, Promise<unknown>>();
  /** One computation per key at a time: a second caller waits for the first. */
  function once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = work().finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  }

  /** The uploaded source's cache, decoded on first use. */
  async function uploadedSource(taskId: string, sourcePath: string): Promise<PcmRef> {
    const base = derivedBase(deps.libraryDir, 'source', taskId);
    const { pcmPath, peaksPath } = outputPaths(base);
    if (!((await exists(pcmPath)) && (await exists(peaksPath)))) {
      if (!(await exists(sourcePath)))
        throw new NotFoundError(
          'The source file is not on this computer any more, so it cannot be played or compared.',
        );
      await once(`source:${taskId}`, () => deps.ingestor.ingestSource({ path: sourcePath, outBase: base }));
    }
    const peaks = await readPeaks(peaksPath);
    return {
      pcmPath,
      channels: peaks.channels,
      sampleRate: peaks.sampleRate,
      sampleCount: peaks.sampleCount,
    };
  }

  /**
   * The uploaded source at its stems' rate: a 48 kHz bounce split into 44.1 kHz stems would otherwise
   * play by nearest sample in the A/B lane and could not be subtracted for the residual.
   */
  async function conformedSource(taskId: string, decoded: PcmRef, sampleRate: number): Promise<PcmRef> {
    const base = derivedBase(deps.libraryDir, 'conformed', taskId);
    const { pcmPath, peaksPath } = outputPaths(base);
    // Reused only if it is this decoded source at this rate, whole: a source decoded again (its file
    // replaced) or a cache cut short is conformed anew.
    const sampleCount = resampledLength(decoded.sampleCount, decoded.sampleRate, sampleRate);
    const cached = await readPeaks(peaksPath).catch(() => null);
    const size = await stat(pcmPath).then(
      (s) => s.size,
      () => -1,
    );
    if (
      cached?.sampleRate === sampleRate &&
      cached.channels === decoded.channels &&
      cached.sampleCount === sampleCount &&
      size === sampleCount * decoded.channels * BYTES_PER_SAMPLE
    )
      return { pcmPath, channels: decoded.channels, sampleRate, sampleCount };
    const result = await once(`conformed:${taskId}:${sampleRate}`, () =>
      deps.ingestor.conformRate({ source: decoded, sampleRate, outBase: base }),
    );
    return { pcmPath, channels: result.channels, sampleRate, sampleCount: result.sampleCount };
  }

  /** What the split was made from: the parent take's cache, or the uploaded file's (at the stems' rate). */
  async function sourceOf(taskId: string): Promise<SplitSource> {
    const store = deps.getStore();
    const task = store.tasks.get(taskId);
    if (!task) throw new NotFoundError(`No task ${taskId} in the library`);
    if (task.parent_task_id && task.parent_audio_id) {
      const take = store.tracks
        .rowsOf(task.parent_task_id)
        .find((row) => row.audio_id === task.parent_audio_id);
      if (!isReadyCache(take))
        throw new NotFoundError('The take this split was made from is not downloaded yet.');
      return { ref: pcmRefOf(take), trackId: take.id, resampledFrom: null };
    }
    if (!task.source_path)
      throw new NotFoundError('This task was not made from a file, so it has no source to compare.');
    const decoded = await uploadedSource(task.id, task.source_path);
    const stemsRate = store.tracks.rowsOf(task.id).find(isReadyCache)?.sample_rate ?? null;
    if (stemsRate === null || stemsRate === decoded.sampleRate)
      return { ref: decoded, trackId: derivedTrackId('source', task.id), resampledFrom: null };
    return {
      ref: await conformedSource(task.id, decoded, stemsRate),
      trackId: derivedTrackId('conformed', task.id),
      resampledFrom: decoded.sampleRate,
    };
  }

  async function computeResidual(taskId: string): Promise<StoredResidual> {
    const store = deps.getStore();
    const task = store.tasks.get(taskId);
    if (!task || !SPLIT_KINDS.includes(task.kind))
      throw new NotFoundError('Only a split has a residual (source − all stems).');
    const rows = store.tracks.rowsOf(task.id);
    if (task.state !== 'complete' || rows.length === 0 || !rows.every(isReadyCache))
      throw new NotFoundError('The residual is computed once every stem is downloaded.');
    const stems = rows.filter(isReadyCache);
    const base = derivedBase(deps.libraryDir, 'residual', task.id);
    const jsonPath = `${base}.json`;
    const stemIds = stems.map((row) => row.id);
    const { ref, resampledFrom } = await sourceOf(task.id);
    const stored = await readFile(jsonPath, 'utf8')
      .then((text) => JSON.parse(text) as StoredResidual)
      .catch(() => null);
    if (
      stored?.version === RESIDUAL_VERSION &&
      stored.stems.join() === stemIds.join() &&
      stored.source === sourceKey(ref) &&
      (await exists(stored.result.pcmPath))
    )
      return stored;
    const result = await deps.ingestor.residual({
      source: ref,
      stems: stems.map((row) => ({ id: row.id, ...pcmRefOf(row) })),
      outBase: base,
    });
    const record: StoredResidual = {
      version: RESIDUAL_VERSION,
      stems: stemIds,
      source: sourceKey(ref),
      sourceResampledFrom: resampledFrom,
      result,
    };
    await writeFile(jsonPath, JSON.stringify(record));
    return record;
  }

  return {
    /** The residual's cache, for export (computed first when needed). */
    async residualPcm(taskId: string): Promise<ResidualSource> {
      const { result, sourceResampledFrom } = await once(`residual:${taskId}`, () => computeResidual(taskId));
      const { pcmPath, channels, sampleRate, sampleCount, offsetFrames, levelDb } = result;
      return { pcmPath, channels, sampleRate, sampleCount, offsetFrames, levelDb, sourceResampledFrom };
    },
    async source(taskId: string): Promise<DerivedTrackView> {
      const { ref, trackId } = await sourceOf(taskId);
      return {
        trackId,
        sampleRate: ref.sampleRate,
        channels: ref.channels,
        sampleCount: ref.sampleCount,
        durationSec: ref.sampleCount / ref.sampleRate,
      };
    },
    async residual(taskId: string): Promise<ResidualView> {
      const { result } = await once(`residual:${taskId}`, () => computeResidual(taskId));
      const stems = new Map(
        deps
          .getStore()
          .tracks.rowsOf(taskId)
          .map((row) => [row.id, row.stem]),
      );
      return {
        taskId,
        trackId: derivedTrackId('residual', taskId),
        sampleRate: result.sampleRate,
        channels: result.channels,
        sampleCount: result.sampleCount,
        durationSec: result.sampleCount / result.sampleRate,
        offsetFrames: result.offsetFrames,
        offsetMs: Math.round((result.offsetFrames / result.sampleRate) * 10000) / 10,
        levelDb: Math.round(result.levelDb * 10) / 10,
        leaks: result.leaks.map((leak) => ({
          trackId: leak.id,
          stem: stems.get(leak.id) ?? 'take',
          correlation: Math.round(leak.correlation * 1000) / 1000,
        })),
        computeMs: result.computeMs,
      };
    },
  };
}

export type SplitAudio = ReturnType<typeof createSplitAudio>;
