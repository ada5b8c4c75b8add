// The normal playback path: one AudioWorkletNode mixing every lane sample by sample (./mix.ts),
// either streaming (a window of small chunks ahead of the playhead, see ./stream-window.ts) or
// holding each lane whole.
import { createEmitter } from '../../../shared/emitter.ts';
import { advance, type LoopRegion } from './loop.ts';
import type { EngineEvents, EngineLane, PlaybackEngine } from './playback-engine.ts';
import { MIXER_NAME, type FromMixer, type ToMixer } from './messages.ts';
import { CHUNK_SHIFT, createMixState, mixLength } from './mix.ts';
import { STREAM_SHIFT } from './stream-window.ts';

export async function createWorkletEngine(
  context: BaseAudioContext,
  moduleUrl: string,
  /** Streams when above 0: the mixer then holds about this many frames of playback per lane. */
  aheadFrames = 0,
): Promise<PlaybackEngine> {
  await context.audioWorklet.addModule(moduleUrl);
  const node = new AudioWorkletNode(context, MIXER_NAME, {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [2],
  });
  node.connect(context.destination);
  const rate = context.sampleRate;
  const events = createEmitter<EngineEvents>();
  const pings = new Map<number, () => void>();
  let nextPing = 1;
  // A shadow of the worklet's lane lengths and loop, so position() can extrapolate locally.
  const shadow = createMixState();
  let last = { position: 0, frame: 0, isPlaying: false };
  const send = (message: ToMixer, transfer: Transferable[] = []) => node.port.postMessage(message, transfer);
  const now = () => Math.round(context.currentTime * rate);
  const isStreaming = aheadFrames > 0;
  const shift = isStreaming ? STREAM_SHIFT : CHUNK_SHIFT;
  if (isStreaming) send({ type: 'window', aheadFrames });

  /** Transports sent so far: a tick the mixer sent before applying the latest one reports where the
   * playhead was before a seek, so it would move the clock back and point the reader at the old
   * place (aborting the seek's own request), and is dropped; so is a sounding of the play before
   * (the reader would take it for the seek's sound). */
  let sentSeq = 0;

  node.port.onmessage = (event: MessageEvent<FromMixer>) => {
    const message = event.data;
    if ((message.type === 'tick' || message.type === 'sounding') && (message.seq ?? sentSeq) < sentSeq)
      return;
    if (message.type === 'tick')
      last = { position: message.position, frame: message.frame, isPlaying: message.isPlaying };
    if (message.type === 'ended') last = { position: 0, frame: now(), isPlaying: false };
    if (message.type === 'stalled') last = { position: message.position, frame: now(), isPlaying: true };
    if (message.type === 'pong') pings.get(message.id)?.();
    events.emit('report', message);
  };

  const transport = (isPlaying: boolean, position?: number) => {
    last = { position: position ?? engine.position(), frame: now(), isPlaying };
    send({ type: 'transport', isPlaying, position: last.position, seq: ++sentSeq });
  };

  const engine: PlaybackEngine = {
    context,
    kind: isStreaming ? 'stream' : 'worklet',
    chunkFrames: 1 << shift,
    addLane(lane: EngineLane) {
      const step = lane.sampleRate / rate;
      shadow.lanes = shadow.lanes.filter((l) => l.id !== lane.id);
      shadow.lanes.push({
        ...lane,
        step,
        shift,
        chunks: [],
        gain: 1,
        appliedGain: 1,
        isMuted: false,
        isSoloed: false,
        peak: 0,
      });
      send({ type: 'lane', id: lane.id, channels: lane.channels, frames: lane.frames, step, shift });
    },
    putChunk(id, index, data, isStreamed = false) {
      send({ type: 'chunk', id, index, data, isStreamed }, [data.buffer]);
    },
    removeLane(id) {
      shadow.lanes = shadow.lanes.filter((l) => l.id !== id);
      send({ type: 'remove', id });
    },
    setMix(id, mix) {
      send({ type: 'mix', id, mix });
    },
    setLoop(loop: LoopRegion) {
      shadow.loop = { ...loop };
      send({ type: 'loop', ...loop });
    },
    play() {
      const position = engine.position();
      transport(true, position >= engine.length() ? 0 : position);
    },
    pause() {
      transport(false);
    },
    seek(frame) {
      transport(last.isPlaying, Math.max(0, Math.min(Math.round(frame), engine.length())));
    },
    position() {
      if (!last.isPlaying) return last.position;
      return advance(last.position, Math.max(0, now() - last.frame), shadow.loop, engine.length());
    },
    isPlaying: () => last.isPlaying,
    length: () => mixLength(shadow),
    on: (listener) => events.on('report', listener),
    sync() {
      const id = nextPing++;
      return new Promise<void>((resolve) => {
        pings.set(id, () => {
          pings.delete(id);
          resolve();
        });
        send({ type: 'ping', id });
      });
    },
    async close() {
      events.clear();
      node.port.onmessage = null;
      node.disconnect();
    },
  };
  return engine;
}
