// Messages between the playback engine (main thread) and the mixer worklet; frames are output frames.
import type { Segment } from './stream-window.ts';

export interface LaneMix {
  gain: number;
  isMuted: boolean;
  isSoloed: boolean;
}

export type ToMixer =
  | { type: 'lane'; id: string; channels: number; frames: number; step: number; shift: number }
  /** `isStreamed`: the mixer may drop it once playback has moved past (the reader fetches it again). */
  | { type: 'chunk'; id: string; index: number; data: Int16Array; isStreamed: boolean }
  /** Switches streaming on: ticks then carry the next `aheadFrames` of playback, and streamed chunks
   * outside it (plus a margin) are dropped. */
  | { type: 'window'; aheadFrames: number }
  | { type: 'remove'; id: string }
  | { type: 'mix'; id: string; mix: LaneMix }
  | { type: 'loop'; isOn: boolean; start: number; end: number }
  /** `seq` numbers transports, so reports made before one can be told from reports after it. */
  | { type: 'transport'; isPlaying: boolean; position?: number; seq: number }
  /** Answered with `pong` once every earlier message has been applied. */
  | { type: 'ping'; id: number };

export type FromMixer =
  /** Sent every few blocks: `frame` is the context frame at which `position` was current; `underruns`
   * counts blocks that went silent for missing data after playback had sounded. */
  | {
      type: 'tick';
      position: number;
      frame: number;
      isPlaying: boolean;
      meters: Record<string, number>;
      underruns: number;
      /** The last transport applied when this was sent (0: none yet). */
      seq: number;
      /** While streaming: the output frames to hold next, in playing order. */
      ahead?: Segment[];
    }
  /** Streamed chunks the mixer dropped, per lane id, and their buffers (transferred back, so the
   * reader refills them: the audio thread's own heap never has to collect streamed PCM). */
  | { type: 'released'; chunks: Record<string, number[]>; buffers: ArrayBuffer[] }
  /** The first audible sample after a play command, at context time `time`; `seq`: the transport
   * it followed (the worklet's; a sounding from before a seek is not the seek's). */
  | { type: 'sounding'; time: number; seq?: number }
  | { type: 'stalled'; position: number }
  | { type: 'ended'; position: number }
  | { type: 'pong'; id: number };

export const MIXER_NAME = 'stemhook-mixer';
