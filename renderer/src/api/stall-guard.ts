// A PCM read the host stops answering must end in an error the studio can name, not in "Loading
// audio" forever: a hung host, or one dripping a byte every few seconds, left a lane (and with it
// the song, which waits for every lane) silent with nothing said. The guard aborts a read that has
// had no byte for a while, or that has run far longer than any healthy one (a drip keeps resetting
// an idle timer). The stream reader then retries, and names the lane after three failures.

export interface StallLimits {
  /** No byte (not even the headers) for this long: the host stopped sending. */
  idleMs: number;
  /** The whole answer took longer than this: the host sends too slowly to keep a lane playing. */
  deadlineMs: number;
}

/** A healthy read of the largest batch (16 MB) ends in well under a second on loopback; in the stream
 * bench, while a split ingested, the slowest PCM requests (p95) took 0.1-0.2 s. */
export const STALL_LIMITS: StallLimits = { idleMs: 5000, deadlineMs: 20_000 };

export interface StallGuard {
  /** Aborts when the caller's signal does (with its reason) or when the read stalls. */
  signal: AbortSignal;
  /** Bytes arrived: the idle timer starts over. */
  progress(): void;
  /** Why the read was given up, when the guard gave it up; null otherwise. */
  stalled(): string | null;
  /** Stops the timers (call once the read ended, however it ended). */
  done(): void;
}

export function guardStalls(outer: AbortSignal, limits: StallLimits = STALL_LIMITS): StallGuard {
  const controller = new AbortController();
  let reason: string | null = null;
  const giveUp = (why: string) => {
    reason = why;
    controller.abort(new Error(why));
  };
  const onOuterAbort = () => controller.abort(outer.reason);
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
  const waitForBytes = () =>
    setTimeout(
      () => giveUp(`the host stopped sending its audio (nothing for ${seconds(limits.idleMs)})`),
      limits.idleMs,
    );
  let idle = waitForBytes();
  const deadline = setTimeout(
    () => giveUp(`the host sent its audio too slowly (one read took over ${seconds(limits.deadlineMs)})`),
    limits.deadlineMs,
  );
  return {
    signal: controller.signal,
    progress() {
      if (controller.signal.aborted) return;
      clearTimeout(idle);
      idle = waitForBytes();
    },
    stalled: () => reason,
    done() {
      clearTimeout(idle);
      clearTimeout(deadline);
      outer.removeEventListener('abort', onOuterAbort);
    },
  };
}
