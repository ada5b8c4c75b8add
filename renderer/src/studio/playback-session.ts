// The open studio's audio session, shared by use-playback (which owns it) and use-studio-debug
// (which publishes it), so neither hook imports the other.
import type { LaneLoader } from '../audio/lane-loader.ts';
import type { PlaybackEngine } from '../audio/playback-engine.ts';
import type { StreamLanes } from './stream-lanes.ts';

export interface Session {
  context: AudioContext;
  engine: PlaybackEngine;
  loader: LaneLoader;
  /** Lanes playing from KIE's stream until their PCM arrives. */
  streams: StreamLanes;
}
