// The studio's audio session: one AudioContext and engine per opened task, lanes streamed into it as
// they become playable (a first take can play while the rest is still on its way), the mix and loop
// pushed to the mixer, and the transport the UI drives.
import { useEffect, useRef, useState } from 'react';
import { createLoader, createPlaybackEngine } from '../audio/engine.ts';
import { feedPcm } from '../audio/lane-loader.ts';
import { loopInFrames, stopPosition, type LoopRegion } from '../audio/loop.ts';
import type { LaneMix } from '../audio/messages.ts';
import { decodeSourceFile } from '../audio/source-file.ts';
import { isPlayable, type LaneSpec } from './lanes.ts';
import type { Session } from './playback-session.ts';
import { useStudioDebug } from './use-studio-debug.ts';

export interface DecodedLane {
  duration: number;
  peaks: number[][];
}

const DEFAULT_RATE = 44100;

export function usePlayback(
  taskId: string | null,
  lanes: LaneSpec[],
  mix: Map<string, LaneMix>,
  /** In seconds. */
  loop: LoopRegion,
) {
  const [session, setSession] = useState<Session | null>(null);
  const [isPlaying, setIsPlaying] = useState(false);
  const [progress, setProgress] = useState({ loaded: 0, total: 0 });
  const [decoded, setDecoded] = useState<Record<string, DecodedLane>>({});
  const [error, setError] = useState<string | null>(null);
  const meters = useRef<Record<string, number>>({});
  const added = useRef(new Set<string>());
  const rate = lanes.find((lane) => lane.sampleRate)?.sampleRate ?? (lanes.length > 0 ? DEFAULT_RATE : null);

  useEffect(() => {
    if (!taskId || !rate) return;
    let isCancelled = false;
    const context = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
    let current: Session | null = null;
    added.current = new Set();
    void createPlaybackEngine(context)
      .then((engine) => {
        const loader = createLoader(engine);
        current = { context, engine, loader };
        if (isCancelled) return void engine.close();
        engine.on((event) => {
          if (event.type === 'tick') {
            meters.current = event.meters;
            setIsPlaying(event.isPlaying);
          } else if (event.type === 'ended') setIsPlaying(false);
        });
        loader.onChange(({ error: failure }) => {
          setProgress(loader.progress());
          if (failure) setError(failure);
        });
        setSession(current);
      })
      .catch((failure: Error) => setError(`Audio could not start: ${failure.message}`));
    return () => {
      isCancelled = true;
      setSession(null);
      setIsPlaying(false);
      setDecoded({});
      setProgress({ loaded: 0, total: 0 });
      current?.loader.close();
      void current?.engine.close();
      void context.close();
    };
  }, [taskId, rate]);

  useEffect(() => {
    if (!session) return;
    for (const lane of lanes) {
      if (added.current.has(lane.id) || !isPlayable(lane)) continue;
      added.current.add(lane.id);
      if (lane.kind === 'source-file') {
        decodeSourceFile(session.context, lane.taskId)
          .then((source) => {
            session.engine.addLane({
              id: lane.id,
              channels: source.channels,
              frames: source.frames,
              sampleRate: source.sampleRate,
            });
            session.engine.setMix(lane.id, mix.get(lane.id) ?? { gain: 1, isMuted: false, isSoloed: false });
            feedPcm(session.engine, lane.id, source.pcm, source.channels);
            setDecoded((all) => ({ ...all, [lane.id]: { duration: source.duration, peaks: source.peaks } }));
          })
          .catch(() => setDecoded((all) => ({ ...all, [lane.id]: { duration: 0, peaks: [] } })));
        continue;
      }
      const spec = {
        id: lane.id,
        channels: lane.channels ?? 2,
        frames: lane.frames ?? 0,
        sampleRate: lane.sampleRate ?? session.context.sampleRate,
      };
      session.engine.addLane(spec);
      session.engine.setMix(lane.id, mix.get(lane.id) ?? { gain: 1, isMuted: false, isSoloed: false });
      session.loader.add({ ...spec, trackId: lane.trackId ?? '' });
    }
    setProgress(session.loader.progress());
  }, [session, lanes]);

  useEffect(() => {
    if (!session) return;
    for (const [id, laneMix] of mix) if (added.current.has(id)) session.engine.setMix(id, laneMix);
  }, [session, mix]);

  useEffect(() => {
    if (!session) return;
    session.engine.setLoop(loopInFrames(loop, session.context.sampleRate));
  }, [session, loop.isOn, loop.start, loop.end]);

  const controls = {
    session,
    isPlaying,
    progress,
    decoded,
    error,
    meters,
    sampleRate: session?.context.sampleRate ?? rate ?? DEFAULT_RATE,
    play() {
      if (!session) return;
      void session.context.resume();
      session.loader.focus(session.engine.position());
      session.engine.play();
      setIsPlaying(true);
    },
    pause() {
      session?.engine.pause();
      setIsPlaying(false);
    },
    toggle() {
      if (isPlaying) controls.pause();
      else controls.play();
    },
    /** Stops and returns to the loop start (or the top). */
    stop() {
      if (!session) return;
      session.engine.pause();
      session.engine.seek(Math.round(stopPosition(loop) * session.context.sampleRate));
      setIsPlaying(false);
    },
    seek(seconds: number) {
      if (!session) return;
      const frame = Math.round(seconds * session.context.sampleRate);
      session.loader.focus(frame);
      session.engine.seek(frame);
    },
    positionSeconds(): number {
      return session ? session.engine.position() / session.context.sampleRate : 0;
    },
  };

  useStudioDebug(session, lanes, mix, loop);

  return controls;
}
