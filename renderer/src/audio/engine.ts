// The playback engine factory: one AudioContext, every lane started by one clock.
// The AudioWorklet mixer streaming each lane from the PCM cache (a bounded window of chunks ahead of
// the playhead) is the default; the same worklet holding each lane's whole PCM stays selectable
// (`stemhook.engine` = `whole-song` in localStorage) for diagnosis and as the streaming benchmark's
// baseline; AudioBufferSourceNodes are the fallback where worklets are unavailable (an insecure
// context, or a custom scheme not registered as secure).
import { fetchPcm16Batch, fetchPcm16Into } from '../api/audio-url.ts';
import { createLaneLoader, type LaneLoader, type LoaderLane } from './lane-loader.ts';
import { startOpeningRead, type OpeningRead } from './opening-read.ts';
import type { PlaybackEngine } from './playback-engine.ts';
import { createStreamReader } from './stream-reader.ts';
import { createWorkletEngine } from './worklet-engine.ts';
import { READ_AHEAD_SECONDS } from './stream-window.ts';
import processorUrl from './mixer-processor.ts?worker&url';

export const ENGINE_CHOICE_KEY = 'stemhook.engine';

const isWholeSongChosen = (): boolean => {
  try {
    return globalThis.localStorage?.getItem(ENGINE_CHOICE_KEY) === 'whole-song';
  } catch {
    return false; // storage refused (a sandboxed page): the default engine
  }
};

export async function createPlaybackEngine(
  context: BaseAudioContext,
  /** Frames the streaming mixer holds ahead of the playhead (an offline render holds all it renders). */
  aheadFrames = Math.round(READ_AHEAD_SECONDS * context.sampleRate),
): Promise<PlaybackEngine> {
  // Bundled with the app, not loaded on demand: fetched when a studio opens, it queued behind the
  // lanes' peaks on the browser's six connections (200-300 ms in the stream bench) and the first
  // PCM read, so a Play pressed at once waited for it too.
  if (context.audioWorklet)
    return createWorkletEngine(context, processorUrl, isWholeSongChosen() ? 0 : aheadFrames);
  const { createBufferEngine } = await import('./buffer-engine.ts');
  return createBufferEngine(context);
}

/** Begins a streaming studio's first read while its engine starts (./opening-read.ts); null when
 * the engine `context` gets will not stream. */
export function startOpening(
  context: BaseAudioContext,
  lanes: Array<Pick<LoaderLane, 'trackId' | 'channels' | 'frames'>>,
): OpeningRead | null {
  if (!context.audioWorklet || isWholeSongChosen()) return null;
  return startOpeningRead(lanes, fetchPcm16Batch);
}

/** What feeds the engine its PCM: the stream reader for a streaming engine (served first from the
 * opening read, if one was begun), else the whole-lane loader. */
export function createLoader(engine: PlaybackEngine, opening: OpeningRead | null = null): LaneLoader {
  if (engine.kind !== 'stream') return createLaneLoader(engine);
  const fetchers = { fetchRange: fetchPcm16Into, fetchRanges: fetchPcm16Batch };
  return createStreamReader(engine, opening ? opening.serve(fetchers) : fetchers);
}
