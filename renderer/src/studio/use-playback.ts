// The studio's audio session: one AudioContext and engine per opened task, lanes streamed into it as
// they become playable (a first take can play while the rest is still on its way, from KIE's stream
// until its file lands), the mix and loop pushed to the mixer, and the transport the UI drives.
import { useEffect, useRef, useState } from 'react';
import { createLoader, createPlaybackEngine, startOpening } from '../audio/engine.ts';
import { loopInFrames, stopPosition, type LoopRegion } from '../audio/loop.ts';
import type { LaneMix } from '../audio/messages.ts';
import { debugHook, mark } from '../audio/debug-hook.ts';
import { isPlayable, streamPreviewUrl, type LaneSpec } from './lanes.ts';
import { audibleLanes } from './mix-model.ts';
import type { Session } from './playback-session.ts';
import { createStreamLanes } from './stream-lanes.ts';
import { useStudioDebug } from './use-studio-debug.ts';

const DEFAULT_RATE = 44100;

/** A playable lane as the mixer and its loader know it. */
const loaderLane = (lane: LaneSpec, contextRate: number) => ({
  id: lane.id,
  trackId: lane.trackId ?? '',
  channels: lane.channels ?? 2,
  frames: lane.frames ?? 0,
  sampleRate: lane.sampleRate ?? contextRate,
});
/** A streaming lane's place in the mixer: it keeps the clock and the song length, silently. */
const SILENT = { gain: 0, isMuted: true, isSoloed: false };

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
  const [error, setError] = useState<string | null>(null);
  /** Lanes that could not load, with why: they leave the mix so the others play. */
  const [failures, setFailures] = useState<Record<string, string>>({});
  const meters = useRef<Record<string, number>>({});
  const added = useRef(new Set<string>());
  /** Lanes whose PCM is loading while their stream or the song already plays; the first chunk at the
   * playhead hands them over to the mix. */
  const handingOver = useRef(new Set<string>());
  const latestMix = useRef(mix);
  latestMix.current = mix;
  const latestLanes = useRef(lanes);
  latestLanes.current = lanes;
  // The results set the clock: the uploaded source is decoded by the core too, often sooner and
  // sometimes at another rate, and a changed rate restarts the audio session.
  const rate =
    lanes.find((lane) => !lane.isSource && lane.sampleRate)?.sampleRate ??
    (lanes.length > 0 ? DEFAULT_RATE : null);

  useEffect(() => {
    if (!taskId || !rate) return;
    let isCancelled = false;
    const context = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
    let current: Session | null = null;
    added.current = new Set();
    handingOver.current = new Set();
    const playable = latestLanes.current.filter(isPlayable).map((lane) => loaderLane(lane, rate));
    const opening = startOpening(context, playable);
    void createPlaybackEngine(context)
      .then((engine) => {
        const loader = createLoader(engine, opening);
        const streams = createStreamLanes(engine);
        current = { context, engine, loader, streams };
        if (isCancelled) return void engine.close();
        /** Lanes waiting to be heard whose chunks at `frame` are in the mixer now join the mix; a lane
         * from KIE's stream stops its stream there. Checked on every tick while playing, and on every
         * arrival while stopped: a change event names the lane whose read came in, not every lane
         * that became playable. */
        const handOverReady = (frame: number) => {
          for (const laneId of handingOver.current) {
            if (!loader.canPlay(laneId, frame)) continue;
            handingOver.current.delete(laneId);
            const streamAt = streams.position(laneId);
            engine.setMix(laneId, latestMix.current.get(laneId) ?? SILENT);
            streams.remove(laneId);
            // How far the stream was from the shared clock at the hand-over (read by tests and benches).
            if (streamAt !== null && engine.isPlaying())
              debugHook.marks['handover-drift-ms'] =
                Math.abs(streamAt - engine.position() / context.sampleRate) * 1000;
          }
        };
        engine.on((event) => {
          if (event.type === 'tick') {
            // Each lane's loudest peak since its meter last drew (the meter takes it and leaves 0):
            // ticks come faster than meters draw, and a paused song's meters then fall to zero.
            for (const laneId in event.meters)
              meters.current[laneId] = Math.max(meters.current[laneId] ?? 0, event.meters[laneId] ?? 0);
            setIsPlaying(event.isPlaying);
            // From where the mixer was at this tick, never ahead of it (the clock's estimate can be).
            if (handingOver.current.size > 0) handOverReady(event.position);
          } else if (event.type === 'ended') setIsPlaying(false);
        });
        loader.onChange(({ laneId, error: failure }) => {
          if (failure) {
            // A lane the mixer would wait for forever holds every lane: take it out of the mix.
            loader.remove(laneId);
            engine.removeLane(laneId);
            streams.remove(laneId);
            handingOver.current.delete(laneId);
            setFailures((all) => ({ ...all, [laneId]: failure }));
          } else if (!engine.isPlaying()) handOverReady(engine.position()); // while playing, the ticks do
          setProgress(loader.progress());
        });
        setSession(current);
        mark('studio-audio-ready');
      })
      .catch((failure: Error) => setError(`Audio could not start: ${failure.message}`));
    return () => {
      isCancelled = true;
      setSession(null);
      setIsPlaying(false);
      setFailures({});
      setProgress({ loaded: 0, total: 0 });
      opening?.close();
      current?.loader.close();
      current?.streams.close();
      void current?.engine.close();
      void context.close();
    };
  }, [taskId, rate]);

  useEffect(() => {
    if (!session) return;
    for (const lane of lanes) {
      if (added.current.has(lane.id)) continue;
      if (!isPlayable(lane)) {
        const url = streamPreviewUrl(lane);
        if (!url || !lane.durationSec || session.streams.has(lane.id)) continue;
        const { sampleRate } = session.context;
        const frames = Math.round(lane.durationSec * sampleRate);
        session.engine.addLane({ id: lane.id, channels: 2, frames, sampleRate });
        session.engine.setMix(lane.id, SILENT);
        session.streams.add(lane.id, url);
        continue;
      }
      added.current.add(lane.id);
      const { trackId, ...spec } = loaderLane(lane, session.context.sampleRate);
      session.engine.addLane(spec);
      const isStreaming = session.streams.has(lane.id);
      // A lane that becomes playable while the song plays (a stem decoded, the residual computed)
      // joins silently and is heard once its chunk at the playhead is in the mixer: heard at once,
      // it would hold every lane (the mixer keeps them together) until its first read came back.
      const isJoining = isStreaming || session.engine.isPlaying();
      if (isJoining) handingOver.current.add(lane.id);
      session.engine.setMix(
        lane.id,
        isJoining ? SILENT : (mix.get(lane.id) ?? { gain: 1, isMuted: false, isSoloed: false }),
      );
      session.loader.add({ ...spec, trackId, isJoining });
      if (isStreaming) session.loader.focus(session.engine.position());
    }
    setProgress(session.loader.progress());
  }, [session, lanes]);

  useEffect(() => {
    if (!session) return;
    const audible = audibleLanes(mix);
    for (const [id, laneMix] of mix) {
      if (session.streams.has(id)) session.streams.setMix(id, laneMix.gain, audible.has(id));
      if (added.current.has(id) && !handingOver.current.has(id)) session.engine.setMix(id, laneMix);
    }
  }, [session, mix]);

  useEffect(() => {
    if (!session) return;
    session.engine.setLoop(loopInFrames(loop, session.context.sampleRate));
  }, [session, loop.isOn, loop.start, loop.end]);

  const controls = {
    session,
    isPlaying,
    progress,
    error,
    failures,
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
