// The loop region's rules in one place, for the mixer, both engines and the studio: when a loop is
// active, where the playhead wraps, how a dragged region is ordered and converted to frames. Units
// are the caller's (frames in the audio code, seconds in the studio) unless a function says otherwise.

export interface LoopRegion {
  isOn: boolean;
  start: number;
  end: number;
}

export const NO_LOOP: LoopRegion = { isOn: false, start: 0, end: 0 };

/** A region has been chosen (a zero-length or reversed one has not). */
export function hasRegion(loop: LoopRegion): boolean {
  return loop.end > loop.start;
}

/** Playback wraps only when the loop is switched on and its region is not empty. */
export function isLooping(loop: LoopRegion): boolean {
  return loop.isOn && hasRegion(loop);
}

/** The region with its ends in order (a drag can end left of where it began). */
export function ordered(loop: LoopRegion): LoopRegion {
  return loop.end < loop.start ? { ...loop, start: loop.end, end: loop.start } : loop;
}

/** A region in seconds as the mixer takes it: in frames at `rate`, on only if it will wrap. */
export function loopInFrames(loop: LoopRegion, rate: number): LoopRegion {
  return { isOn: isLooping(loop), start: Math.round(loop.start * rate), end: Math.round(loop.end * rate) };
}

/** The frame after `frame`: the loop start when `frame` is the last one inside the loop. */
export function nextFrame(frame: number, loop: LoopRegion): number {
  const next = frame + 1;
  return isLooping(loop) && next === loop.end ? loop.start : next;
}

/** Playback has run out at `frame`: past the song, and not inside a loop that reaches beyond it. */
export function isPastEnd(frame: number, length: number, loop: LoopRegion): boolean {
  return frame >= length && !(isLooping(loop) && frame < loop.end);
}

/** Where the playhead lands after running `elapsed` frames from `from` with the loop applied. */
export function advance(from: number, elapsed: number, loop: LoopRegion, length: number): number {
  const to = from + elapsed;
  if (isLooping(loop) && from < loop.end && to >= loop.end) {
    return loop.start + ((to - loop.end) % (loop.end - loop.start));
  }
  return Math.min(to, length);
}

/** Where Stop returns to: the loop start while the loop is switched on, otherwise the top. */
export function stopPosition(loop: LoopRegion): number {
  return loop.isOn ? loop.start : 0;
}

/** What the loop switch becomes when toggled: it only turns on once a region has been chosen. */
export function toggledIsOn(loop: LoopRegion): boolean {
  return !loop.isOn && hasRegion(loop);
}
