// Encoded audio on demand: renders and encodes each (seed, part, duration) once, one job at a time, and keeps
// the bytes in a bounded LRU cache (everything is deterministic, so an evicted file is simply rebuilt).
import { encodeMp3 } from './mp3-encode.ts';
import { renderPart } from './synth-audio.ts';
import type { AudioPart } from './stems.ts';
import { encodeWav } from './wav-encode.ts';

export interface AudioLibrary {
  mp3(seed: number, part: AudioPart, durationSec: number): Promise<Uint8Array>;
  wav(seed: number, durationSec: number): Promise<Uint8Array>;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export function createAudioLibrary(signal: AbortSignal, maxBytes = DEFAULT_MAX_BYTES): AudioLibrary {
  const cache = new Map<string, Promise<Uint8Array>>();
  const sizes = new Map<string, number>();
  let queue: Promise<unknown> = Promise.resolve();

  const evict = (): void => {
    let total = [...sizes.values()].reduce((a, b) => a + b, 0);
    for (const key of cache.keys()) {
      if (total <= maxBytes) break;
      total -= sizes.get(key) ?? 0;
      sizes.delete(key);
      cache.delete(key);
    }
  };

  const get = (key: string, build: () => Promise<Uint8Array>): Promise<Uint8Array> => {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const job = queue.then(() => {
      signal.throwIfAborted();
      return build();
    });
    queue = job.catch(() => undefined);
    cache.set(key, job);
    job.then(
      (bytes) => {
        sizes.set(key, bytes.length);
        evict();
      },
      () => cache.delete(key),
    );
    return job;
  };

  return {
    mp3: (seed, part, durationSec) =>
      get(`${seed}:${part}:${durationSec}:mp3`, async () =>
        encodeMp3(await renderPart(seed, part, durationSec, signal), signal),
      ),
    wav: (seed, durationSec) =>
      get(`${seed}:mix:${durationSec}:wav`, async () =>
        encodeWav(await renderPart(seed, 'mix', durationSec, signal)),
      ),
  };
}
