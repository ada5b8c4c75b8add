// Publishes the open studio on the debug handle (what tests and benchmarks read): its engine, its
// lanes with the mix as the engine plays it, and the loop in frames.
import { useEffect } from 'react';
import { debugHook } from '../audio/debug-hook.ts';
import { loopInFrames, type LoopRegion } from '../audio/loop.ts';
import type { LaneMix } from '../audio/messages.ts';
import { isPlayable, type LaneSpec } from './lanes.ts';
import type { Session } from './playback-session.ts';

const UNITY: LaneMix = { gain: 1, isMuted: false, isSoloed: false };

export function useStudioDebug(
  session: Session | null,
  lanes: LaneSpec[],
  mix: Map<string, LaneMix>,
  /** In seconds. */
  loop: LoopRegion,
): void {
  useEffect(() => {
    if (!session) return;
    const rate = session.context.sampleRate;
    debugHook.studio = {
      engine: session.engine,
      lanes: () =>
        lanes
          .filter((lane) => isPlayable(lane))
          .map((lane) => ({
            id: lane.id,
            trackId: lane.trackId ?? undefined,
            channels: lane.channels ?? 2,
            frames: lane.frames ?? 0,
            sampleRate: lane.sampleRate ?? rate,
            mix: mix.get(lane.id) ?? UNITY,
          })),
      loop: () => loopInFrames(loop, rate),
    };
    return () => {
      debugHook.studio = null;
    };
  }, [session, lanes, mix, loop.isOn, loop.start, loop.end]);
}
