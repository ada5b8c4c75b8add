// The AudioWorklet processor: a thin shell around ./mixer-core.ts on the audio thread. Bundled as
// its own file (loaded from 'self', so the strict CSP needs no blob: source).
import { MIXER_NAME, type ToMixer } from './messages.ts';
import { MixerCore } from './mixer-core.ts';

interface WorkletScope {
  AudioWorkletProcessor: new () => { readonly port: MessagePort };
  registerProcessor(name: string, ctor: new () => unknown): void;
  currentFrame: number;
  currentTime: number;
  sampleRate: number;
}
const scope = globalThis as unknown as WorkletScope;

class MixerProcessor extends scope.AudioWorkletProcessor {
  core = new MixerCore((message, transfer = []) => this.port.postMessage(message, transfer), {
    frame: () => scope.currentFrame,
    time: () => scope.currentTime,
    rate: scope.sampleRate,
  });

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<ToMixer>) => this.core.handle(event.data);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0] ?? [];
    const left = channels[0];
    if (left) this.core.process(left, channels[1] ?? new Float32Array(left.length));
    return true;
  }
}

scope.registerProcessor(MIXER_NAME, MixerProcessor);
