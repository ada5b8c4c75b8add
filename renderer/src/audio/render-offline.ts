// Renders a mix through the real engine in an OfflineAudioContext: the same worklet, loader and lane
// settings as live playback, so tests (and a future "bounce") hear exactly what the studio plays.
import { createLoader, createPlaybackEngine } from './engine.ts';
import type { EngineLane } from './playback-engine.ts';
import { feedPcm, type LaneLoader } from './lane-loader.ts';
import type { StreamReader } from './stream-reader.ts';
import type { LaneMix } from './messages.ts';
import type { LoopRegion } from './loop.ts';

export interface OfflineLane extends EngineLane {
  mix: LaneMix;
  /** Loaded from the track's PCM (like the studio), or given directly. */
  trackId?: string;
  pcm?: Int16Array;
}

export interface OfflineRender {
  sampleRate: number;
  startFrame: number;
  frames: number;
  loop?: LoopRegion;
  lanes: OfflineLane[];
}

export async function renderOffline(request: OfflineRender): Promise<Float32Array[]> {
  const context = new OfflineAudioContext(2, request.frames, request.sampleRate);
  // The mixer holds everything the render plays: an offline context never waits for a fetch.
  const engine = await createPlaybackEngine(context, request.frames);
  const loader = createLoader(engine);
  const failure = new Promise<never>((_, reject) =>
    loader.onChange(({ error }) => error && reject(new Error(error))),
  );
  for (const lane of request.lanes) {
    engine.addLane(lane);
    engine.setMix(lane.id, lane.mix);
    if (lane.pcm) feedPcm(engine, lane.id, lane.pcm, lane.channels);
    else if (lane.trackId)
      loader.add({ id: lane.id, trackId: lane.trackId, channels: lane.channels, frames: lane.frames });
  }
  if (request.loop) engine.setLoop(request.loop);
  engine.seek(request.startFrame);
  loader.focus(request.startFrame);
  await engine.sync(); // the mixer's window now reflects the loop and the start
  await Promise.race([isFilled(loader), failure]);
  engine.play();
  await engine.sync();
  const buffer = await context.startRendering();
  loader.close();
  await engine.close();
  return [buffer.getChannelData(0), buffer.getChannelData(1)];
}

/** Every lane holds what it must play: the window for a stream reader, the whole lane otherwise. */
function isFilled(loader: LaneLoader | StreamReader): Promise<void> {
  if ('filled' in loader) return loader.filled();
  return new Promise((resolve) => {
    const check = () => {
      const { loaded, total } = loader.progress();
      if (loaded === total) resolve();
    };
    loader.onChange(check);
    check();
  });
}
