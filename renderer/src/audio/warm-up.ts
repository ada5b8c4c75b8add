// Chromium sets up a page's audio output the first time an AudioContext is made: 60-80 ms on the
// main thread of an idle machine, about 150 ms while a studio opens, and under 5 ms for every
// context after it, even once the first is closed. And the mixer's module, fetched when a studio
// opened, queued behind the lanes' peaks for the browser's six connections to the host: 300-740 ms
// from the opening to an engine in the stream bench, and no PCM can be read before there is one.
// Both are paid in the library instead: a throwaway context loads the module (then kept in the HTTP
// cache: static files are cacheable) and closes. It waits for the producer's first click or key
// (a browser lets a page start audio only after one, and warns of a context made before) and then
// for an idle moment, so it never delays what that click does.
import { mark } from './debug-hook.ts';
import processorUrl from './mixer-processor.ts?worker&url';

const GESTURES = ['pointerdown', 'keydown'] as const;

export function warmUpAudio(): void {
  const warm = async () => {
    let context: AudioContext | null = null;
    try {
      context = new AudioContext();
      await context.audioWorklet?.addModule(processorUrl);
      mark('audio-warmed');
    } catch {
      // No Web Audio or worklets here: the studio says so, or falls back, when it opens.
    } finally {
      void context?.close().catch(() => undefined);
    }
  };
  const onGesture = () => {
    for (const type of GESTURES) window.removeEventListener(type, onGesture, true);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void warm(), { timeout: 1000 });
    else setTimeout(() => void warm(), 100);
  };
  for (const type of GESTURES) window.addEventListener(type, onGesture, true);
}
