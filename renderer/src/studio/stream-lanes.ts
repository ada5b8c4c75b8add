// Lanes heard before their file is downloaded: one <audio> element per lane plays KIE's stream URL
// and follows the engine's transport (play, pause, seek, loop), kept within a quarter second of the
// shared clock, until the lane's PCM reaches the mixer and the sample-exact engine takes over.
import type { PlaybackEngine } from '../audio/playback-engine.ts';

/** Beyond this the element is moved back to the clock (a seek, a loop wrap, a slow network start). */
const MAX_DRIFT_SEC = 0.25;

export interface StreamLanes {
  add(id: string, url: string): void;
  has(id: string): boolean;
  /** Gain as an element volume (0..1: a stream cannot be boosted) and whether the mix hears it. */
  setMix(id: string, gain: number, isAudible: boolean): void;
  /** The element's position in seconds (for the hand-over), or null. */
  position(id: string): number | null;
  remove(id: string): void;
  close(): void;
}

export function createStreamLanes(engine: PlaybackEngine): StreamLanes {
  const rate = engine.context.sampleRate;
  const elements = new Map<string, HTMLAudioElement>();

  const follow = (position: number, isPlaying: boolean) => {
    const seconds = position / rate;
    for (const element of elements.values()) {
      if (!isPlaying) {
        if (!element.paused) element.pause();
        continue;
      }
      const isSettled = !element.seeking && element.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA;
      if (isSettled && Math.abs(element.currentTime - seconds) > MAX_DRIFT_SEC) element.currentTime = seconds;
      if (element.paused) {
        element.currentTime = seconds;
        // A stream that will not play (expired link, blocked) stays silent; the lane still says why.
        void element.play().catch(() => undefined);
      }
    }
  };
  const stop = engine.on((event) => {
    if (event.type === 'tick') follow(event.position, event.isPlaying);
    else if (event.type === 'ended') follow(0, false);
  });

  const remove = (id: string) => {
    const element = elements.get(id);
    if (!element) return;
    elements.delete(id);
    element.pause();
    element.removeAttribute('src');
    element.load();
    element.remove();
  };

  return {
    add(id, url) {
      if (elements.has(id)) return;
      const element = document.createElement('audio');
      element.className = 'stream-audio';
      element.dataset.laneId = id;
      element.preload = 'auto';
      element.hidden = true;
      element.src = url;
      document.body.append(element);
      elements.set(id, element);
      follow(engine.position(), engine.isPlaying());
    },
    has: (id) => elements.has(id),
    setMix(id, gain, isAudible) {
      const element = elements.get(id);
      if (!element) return;
      element.volume = Math.max(0, Math.min(1, gain));
      element.muted = !isAudible;
    },
    position: (id) => elements.get(id)?.currentTime ?? null,
    remove,
    close() {
      stop();
      for (const id of [...elements.keys()]) remove(id);
    },
  };
}
