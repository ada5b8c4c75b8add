// The playback engine's interface, shared by the factory (engine.ts) and both implementations
// (worklet-engine.ts, buffer-engine.ts), so they depend on it rather than on each other.
import type { LoopRegion } from './loop.ts';
import type { FromMixer, LaneMix } from './messages.ts';

export interface EngineLane {
  id: string;
  channels: number;
  /** Length in the lane's own frames. */
  frames: number;
  sampleRate: number;
}

export type EngineEvent = FromMixer;

/** The one event name engines emit on their shared emitter: every report goes to every listener. */
export type EngineEvents = { report: EngineEvent };

export interface PlaybackEngine {
  readonly context: BaseAudioContext;
  /** 'stream': the worklet holding a window ahead of the playhead; 'worklet': the worklet holding
   * whole lanes; 'buffers': the fallback without worklets. */
  readonly kind: 'stream' | 'worklet' | 'buffers';
  /** Frames per chunk this engine takes. */
  readonly chunkFrames: number;
  addLane(lane: EngineLane): void;
  /** Interleaved int16 frames of chunk `index` (`chunkFrames` each); the buffer is transferred.
   * `isStreamed`: the engine may drop it once playback has moved on (the reader fetches it again). */
  putChunk(id: string, index: number, data: Int16Array, isStreamed?: boolean): void;
  removeLane(id: string): void;
  setMix(id: string, mix: LaneMix): void;
  setLoop(loop: LoopRegion): void;
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
