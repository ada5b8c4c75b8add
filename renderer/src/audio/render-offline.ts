// Renders a mix through the real engine in an OfflineAudioContext: the same worklet, loader and lane
// settings as live playback, so tests (and a future "bounce") hear exactly what the studio plays.
import { createPlaybackEngine } from './engine.ts';
import type { EngineLane } from './playback-engine.ts';
import { createLaneLoader, feedPcm } from './lane-loader.ts';
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
  const engine = await createPlaybackEngine(context);
  const loader = createLaneLoader(engine);
  const loaded = new Promise<void>((resolve, reject) => {
    const check = () => {
      const { loaded: done, total } = loader.progress();
      if (done === total) resolve();
    };
    loader.onChange(({ error }) => (error ? reject(new Error(error)) : check()));
    if (!request.lanes.some((lane) => lane.trackId)) resolve();
  });
  for (const lane of request.lanes) {
    engine.addLane(lane);
    engine.setMix(lane.id, lane.mix);
    if (lane.pcm) feedPcm(engine, lane.id, lane.pcm, lane.channels);
    else if (lane.trackId)
      loader.add({ id: lane.id, trackId: lane.trackId, channels: lane.channels, frames: lane.frames });
  }
  await loaded;
  if (request.loop) engine.setLoop(request.loop);
  engine.seek(request.startFrame);
  engine.play();
  await engine.sync();
  const buffer = await context.startRendering();
  loader.close();
  await engine.close();
  return [buffer.getChannelData(0), buffer.getChannelData(1)];
}
