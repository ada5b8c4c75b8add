// The playback engine factory: one AudioContext, every lane started by one clock.
// The AudioWorklet mixer is the normal path; AudioBufferSourceNodes are the fallback where worklets
// are unavailable (an insecure context, or a custom scheme not registered as secure).
import type { PlaybackEngine } from './playback-engine.ts';
import processorUrl from './mixer-processor.ts?worker&url';

export async function createPlaybackEngine(context: BaseAudioContext): Promise<PlaybackEngine> {
  if (context.audioWorklet) {
    const { createWorkletEngine } = await import('./worklet-engine.ts');
    return createWorkletEngine(context, processorUrl);
  }
  const { createBufferEngine } = await import('./buffer-engine.ts');
  return createBufferEngine(context);
}
