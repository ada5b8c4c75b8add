// Messages between the playback engine (main thread) and the mixer worklet; frames are output frames.

export interface LaneMix {
  gain: number;
  isMuted: boolean;
  isSoloed: boolean;
}

export type ToMixer =
  | { type: 'lane'; id: string; channels: number; frames: number; step: number }
  | { type: 'chunk'; id: string; index: number; data: Int16Array }
  | { type: 'remove'; id: string }
  | { type: 'mix'; id: string; mix: LaneMix }
  | { type: 'loop'; isOn: boolean; start: number; end: number }
  | { type: 'transport'; isPlaying: boolean; position?: number }
  /** Answered with `pong` once every earlier message has been applied. */
  | { type: 'ping'; id: number };

export type FromMixer =
  /** Sent every few blocks: `frame` is the context frame at which `position` was current. */
  | { type: 'tick'; position: number; frame: number; isPlaying: boolean; meters: Record<string, number> }
  /** The first audible sample after a play command, at context time `time`. */
  | { type: 'sounding'; time: number }
  | { type: 'stalled'; position: number }
  | { type: 'ended'; position: number }
  | { type: 'pong'; id: number };

export const MIXER_NAME = 'stemhook-mixer';
