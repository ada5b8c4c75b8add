// Fallback playback without AudioWorklet: one AudioBufferSourceNode + GainNode per lane, all started
// with the same `when` and offset and looped with the sources' own loop points. Costs float32 memory,
// so it is only used where worklets are unavailable.
import { createEmitter } from '../../../shared/emitter.ts';
import { advance, isLooping, NO_LOOP, type LoopRegion } from './loop.ts';
import type { EngineEvent, EngineEvents, EngineLane, PlaybackEngine } from './playback-engine.ts';
import type { LaneMix } from './messages.ts';
import { CHUNK_FRAMES } from './mix.ts';

interface BufferLane {
  lane: EngineLane;
  buffer: AudioBuffer;
  gain: GainNode;
  mix: LaneMix;
  missing: number;
  source: AudioBufferSourceNode | null;
}

const START_DELAY_SEC = 0.03;

export function createBufferEngine(context: BaseAudioContext): PlaybackEngine {
  const rate = context.sampleRate;
  const lanes = new Map<string, BufferLane>();
  const events = createEmitter<EngineEvents>();
  let loop: LoopRegion = { ...NO_LOOP };
  let anchor = { position: 0, time: 0, isPlaying: false };
  let isWaiting = false;
  const emit = (event: EngineEvent) => events.emit('report', event);
  const length = () =>
    Math.max(0, ...[...lanes.values()].map(({ lane }) => Math.ceil((lane.frames * rate) / lane.sampleRate)));

  const applyGains = () => {
    const isAnySoloed = [...lanes.values()].some((l) => l.mix.isSoloed);
    for (const l of lanes.values()) {
      const isAudible = !l.mix.isMuted && (!isAnySoloed || l.mix.isSoloed);
      l.gain.gain.setValueAtTime(isAudible ? l.mix.gain : 0, context.currentTime);
    }
  };

  const stopSources = () => {
    for (const l of lanes.values()) {
      if (l.source) l.source.onended = null;
      l.source?.stop();
      l.source?.disconnect();
      l.source = null;
    }
  };

  const start = () => {
    if ([...lanes.values()].some((l) => l.missing > 0)) {
      isWaiting = true;
      emit({ type: 'stalled', position: anchor.position });
      return;
    }
    isWaiting = false;
    const when = context.currentTime + START_DELAY_SEC;
    anchor = { ...anchor, time: when, isPlaying: true };
    for (const l of lanes.values()) {
      const source = context.createBufferSource();
      source.buffer = l.buffer;
      source.loop = isLooping(loop);
      source.loopStart = loop.start / rate;
      source.loopEnd = loop.end / rate;
      source.connect(l.gain);
      source.start(when, anchor.position / rate);
      l.source = source;
    }
    const first = [...lanes.values()][0]?.source;
    if (first && !first.loop) {
      first.onended = () => {
        anchor = { position: 0, time: context.currentTime, isPlaying: false };
        emit({ type: 'ended', position: length() });
      };
    }
    emit({ type: 'sounding', time: when });
  };

  const engine: PlaybackEngine = {
    context,
    kind: 'buffers',
    chunkFrames: CHUNK_FRAMES,
    addLane(lane) {
      const gain = context.createGain();
      gain.connect(context.destination);
      const buffer = context.createBuffer(lane.channels, Math.max(1, lane.frames), lane.sampleRate);
      const missing = Math.ceil(lane.frames / CHUNK_FRAMES);
      lanes.set(lane.id, {
        lane,
        buffer,
        gain,
        mix: { gain: 1, isMuted: false, isSoloed: false },
        missing,
        source: null,
      });
    },
    putChunk(id, index, data) {
      const l = lanes.get(id);
      if (!l) return;
      const { channels } = l.lane;
      const frames = data.length / channels;
      for (let c = 0; c < channels; c++) {
        const channel = new Float32Array(frames);
        for (let i = 0; i < frames; i++) channel[i] = (data[i * channels + c] ?? 0) / 32768;
        l.buffer.copyToChannel(channel, c, index * CHUNK_FRAMES);
      }
      l.missing -= 1;
      if (isWaiting) start();
    },
    removeLane(id) {
      lanes.get(id)?.gain.disconnect();
      lanes.delete(id);
    },
    setMix(id, mix) {
      const l = lanes.get(id);
      if (l) l.mix = { ...mix };
      applyGains();
    },
    setLoop(next) {
      loop = { ...next };
      if (anchor.isPlaying) engine.seek(engine.position());
    },
    play() {
      if (anchor.isPlaying) return;
      if (anchor.position >= length()) anchor.position = 0;
      applyGains();
      start();
    },
    pause() {
      anchor = { position: engine.position(), time: context.currentTime, isPlaying: false };
      isWaiting = false;
      stopSources();
    },
    seek(frame) {
      const wasPlaying = anchor.isPlaying || isWaiting;
      stopSources();
      anchor = {
        position: Math.max(0, Math.min(Math.round(frame), length())),
        time: context.currentTime,
        isPlaying: false,
      };
      if (wasPlaying) start();
    },
    position() {
      if (!anchor.isPlaying) return anchor.position;
      const elapsed = Math.max(0, (context.currentTime - anchor.time) * rate);
      return advance(anchor.position, Math.round(elapsed), loop, length());
    },
    isPlaying: () => anchor.isPlaying || isWaiting,
    length,
    on: (listener) => events.on('report', listener),
    sync: () => Promise.resolve(),
    async close() {
      stopSources();
      for (const l of lanes.values()) l.gain.disconnect();
      lanes.clear();
      events.clear();
    },
  };
  return engine;
}
