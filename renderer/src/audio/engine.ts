// The playback engine's interface and factory: one AudioContext, every lane started by one clock.
// The AudioWorklet mixer is the normal path; AudioBufferSourceNodes are the fallback where worklets
// are unavailable (an insecure context, or a custom scheme not registered as secure).
import type { FromMixer, LaneMix } from './messages.ts';
import type { MixLoop } from './mix.ts';
import processorUrl from './mixer-processor.ts?worker&url';

export interface EngineLane {
  id: string;
  channels: number;
  /** Length in the lane's own frames. */
  frames: number;
  sampleRate: number;
}

export type EngineEvent = FromMixer;

export interface PlaybackEngine {
  readonly context: BaseAudioContext;
  readonly kind: 'worklet' | 'buffers';
  addLane(lane: EngineLane): void;
  /** Interleaved int16 frames of chunk `index` (CHUNK_FRAMES each); the buffer is transferred. */
  putChunk(id: string, index: number, data: Int16Array): void;
  removeLane(id: string): void;
  setMix(id: string, mix: LaneMix): void;
  setLoop(loop: MixLoop): void;
  play(): void;
  pause(): void;
  seek(frame: number): void;
  /** Current output frame, interpolated between the mixer's reports. */
  position(): number;
  isPlaying(): boolean;
  /** Song length in output frames (the longest lane). */
  length(): number;
  on(listener: (event: EngineEvent) => void): () => void;
  /** Resolves once the mixer has applied every earlier call (offline renders wait for it). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function createPlaybackEngine(context: BaseAudioContext): Promise<PlaybackEngine> {
  if (context.audioWorklet) {
    const { createWorkletEngine } = await import('./worklet-engine.ts');
    return createWorkletEngine(context, processorUrl);
  }
  const { createBufferEngine } = await import('./buffer-engine.ts');
  return createBufferEngine(context);
}

/** Where `frame` lands after running `elapsed` frames from `from` with the loop applied. */
export function advance(from: number, elapsed: number, loop: MixLoop, length: number): number {
  const to = from + elapsed;
  if (loop.isOn && loop.end > loop.start && from < loop.end && to >= loop.end) {
    return loop.start + ((to - loop.end) % (loop.end - loop.start));
  }
  return Math.min(to, length);
}
