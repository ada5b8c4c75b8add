// The analysers' input read from a PCM cache file (electron/core/analysis/signal.ts) against the same
// audio handed over as float channels: the cache is streamed in 64k-frame reads and downmixed in
// one loop per read, so every read boundary and the tail that fills no whole block must give the
// same samples, value for value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signalFromChannels, signalFromPcmCache } from '../../electron/core/analysis/signal.ts';
import { encodeS24le, quantizeS24, S24_SCALE } from '../../electron/core/audio/pcm-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'stemhook-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `channels` of a chord with noise, as the cache holds them (s24) and as floats of those values. */
function fixture(channels: number, frames: number) {
  const values = new Int32Array(channels * frames);
  let seed = 7;
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channels; c++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const tone = 0.4 * Math.sin((2 * Math.PI * (220 + 110 * c) * i) / 44100);
      values[i * channels + c] = quantizeS24(tone + 0.1 * (seed / 0x7fffffff - 0.5));
    }
  const floats = Array.from({ length: channels }, (_, c) =>
    Float32Array.from({ length: frames }, (_, i) => (values[i * channels + c] as number) / S24_SCALE),
  );
  const bytes = new Uint8Array(values.length * 3);
  encodeS24le(values, values.length, bytes);
  return { floats, bytes };
}

describe('the analysis signal from a PCM cache', () => {
  it.each([
    [2, 44100, 150_001],
    [1, 48000, 65_537],
    [3, 96000, 70_003],
  ])(
    '%i channels at %i Hz, %i frames: the same samples as from float channels',
    async (channels, rate, frames) => {
      const { floats, bytes } = fixture(channels, frames);
      const path = join(dir, `${channels}-${rate}.pcm`);
      writeFileSync(path, bytes);
      const fromCache = await signalFromPcmCache(path, channels, rate);
      const fromChannels = signalFromChannels(floats, rate);
      expect(fromCache.sampleRate).toBe(fromChannels.sampleRate);
      expect(fromCache.samples.length).toBe(Math.floor(frames / Math.round(rate / 22050)));
      expect(Array.from(fromCache.samples)).toEqual(Array.from(fromChannels.samples));
      expect(Math.max(...fromCache.samples.map(Math.abs))).toBeGreaterThan(0.1);
    },
  );
});
