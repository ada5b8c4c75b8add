// The AudioWorklet processor: owns the lanes' int16 data and mixes them with the shared loop in
// ./mix.ts. Bundled as its own file (loaded from 'self', so the strict CSP needs no blob: source).
import { createMixLane, createMixState, mixBlock, snapGains, type MixLane } from './mix.ts';
import { MIXER_NAME, type FromMixer, type ToMixer } from './messages.ts';

interface WorkletScope {
  AudioWorkletProcessor: new () => { readonly port: MessagePort };
  registerProcessor(name: string, ctor: new () => unknown): void;
  currentFrame: number;
  currentTime: number;
  sampleRate: number;
}
const scope = globalThis as unknown as WorkletScope;
const TICK_BLOCKS = 4;

class MixerProcessor extends scope.AudioWorkletProcessor {
  state = createMixState();
  blocks = 0;
  isAwaitingSound = false;
  isStalled = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<ToMixer>) => this.handle(event.data);
  }

  lane(id: string): MixLane | undefined {
    return this.state.lanes.find((lane) => lane.id === id);
  }

  handle(message: ToMixer): void {
    const { state } = this;
    if (message.type === 'lane') {
      state.lanes = state.lanes.filter((lane) => lane.id !== message.id);
      state.lanes.push(createMixLane(message.id, message.channels, message.frames, message.step));
    } else if (message.type === 'chunk') {
      const lane = this.lane(message.id);
      if (lane && message.index < lane.chunks.length) lane.chunks[message.index] = message.data;
    } else if (message.type === 'remove') {
      state.lanes = state.lanes.filter((lane) => lane.id !== message.id);
    } else if (message.type === 'mix') {
      const lane = this.lane(message.id);
      if (lane) Object.assign(lane, message.mix);
    } else if (message.type === 'loop') {
      state.loop = { isOn: message.isOn, start: message.start, end: message.end };
    } else if (message.type === 'ping') {
      this.post({ type: 'pong', id: message.id });
    } else {
      if (message.position !== undefined) state.position = message.position;
      if (message.isPlaying && !state.isPlaying) {
        this.isAwaitingSound = true;
        snapGains(state);
      }
      state.isPlaying = message.isPlaying;
      this.tick();
    }
  }

  post(message: FromMixer): void {
    this.port.postMessage(message);
  }

  tick(): void {
    const meters: Record<string, number> = {};
    for (const lane of this.state.lanes) {
      meters[lane.id] = lane.peak;
      lane.peak = 0;
    }
    const { position, isPlaying } = this.state;
    this.post({ type: 'tick', position, frame: scope.currentFrame, isPlaying, meters });
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0] ?? [];
    const left = channels[0];
    if (!left) return true;
    const right = channels[1] ?? new Float32Array(left.length);
    const result = mixBlock(this.state, left, right, left.length);
    if (result === 'stalled' && !this.isStalled)
      this.post({ type: 'stalled', position: this.state.position });
    this.isStalled = result === 'stalled';
    if (this.isAwaitingSound && result === 'played') {
      const index = left.findIndex((v, i) => v !== 0 || right[i] !== 0);
      if (index >= 0) {
        this.isAwaitingSound = false;
        this.post({ type: 'sounding', time: scope.currentTime + index / scope.sampleRate });
      }
    }
    if (result === 'ended') {
      this.post({ type: 'ended', position: this.state.position });
      this.tick();
    } else if (this.state.isPlaying && ++this.blocks % TICK_BLOCKS === 0) this.tick();
    return true;
  }
}

scope.registerProcessor(MIXER_NAME, MixerProcessor);
