// The playback engine factory: one AudioContext, every lane started by one clock.
// The AudioWorklet mixer holding each lane's whole PCM is the default path for now; the same
// worklet streaming each lane from the cache through bounded rings is selectable
// (`stemhook.engine` = `stream` in localStorage) until it meets its seek and memory targets and
// has run under every studio test; AudioBufferSourceNodes are the fallback where worklets are
// unavailable (an insecure context, or a custom scheme not registered as secure).
import { fetchAudioBytes, fetchPcm16Batch, trackPcm16Url } from '../api/audio-url.ts';
import { createLaneLoader, type LaneLoader } from './lane-loader.ts';
import type { PlaybackEngine } from './playback-engine.ts';
import { createStreamReader } from './stream-reader.ts';
import { READ_AHEAD_SECONDS } from './stream-window.ts';
import processorUrl from './mixer-processor.ts?worker&url';

export const ENGINE_CHOICE_KEY = 'stemhook.engine';

const isStreamChosen = (): boolean => {
  try {
    return globalThis.localStorage?.getItem(ENGINE_CHOICE_KEY) === 'stream';
  } catch {
    return false; // storage refused (a sandboxed page): the default engine
  }
};

export async function createPlaybackEngine(
  context: BaseAudioContext,
  /** Frames the streaming mixer holds ahead of the playhead (an offline render holds all it renders). */
  aheadFrames = Math.round(READ_AHEAD_SECONDS * context.sampleRate),
): Promise<PlaybackEngine> {
  if (context.audioWorklet) {
    const { createWorkletEngine } = await import('./worklet-engine.ts');
    return createWorkletEngine(context, processorUrl, isStreamChosen() ? aheadFrames : 0);
  }
  const { createBufferEngine } = await import('./buffer-engine.ts');
  return createBufferEngine(context);
}

/** What feeds the engine its PCM: the stream reader for a streaming engine, else the whole-lane loader. */
export function createLoader(engine: PlaybackEngine): LaneLoader {
  if (engine.kind !== 'stream') return createLaneLoader(engine);
  return createStreamReader(engine, {
    fetchRange: (trackId, range, signal) => fetchAudioBytes(trackPcm16Url(trackId), range, signal),
    fetchRanges: fetchPcm16Batch,
  });
}
