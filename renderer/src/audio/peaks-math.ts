// Waveform helpers for lanes: stored peaks as compact typed arrays, padded so lanes of different
// lengths share one timeline.
import type { PeaksView } from '../../../shared/api.ts';

/** A lane's peaks as wavesurfer draws them: one Float32Array per channel, and the seconds they cover. */
export interface LanePeaks {
  peaks: Float32Array[];
  duration: number;
}

/**
 * The stored peaks as Float32Arrays: half the memory of the JSON arrays of doubles they arrive as
 * (which are garbage once converted), and wavesurfer draws typed arrays as they are instead of
 * copying each channel into one.
 */
export function toLanePeaks(view: PeaksView): LanePeaks {
  return {
    peaks: view.peaks.map((channel) => Float32Array.from(channel)),
    duration: view.sampleRate > 0 ? view.sampleCount / view.sampleRate : 0,
  };
}

/**
 * Extends peaks covering `duration` seconds with silence so they cover `total` seconds: wavesurfer
 * spreads the peaks it is given over the duration it is given, so every lane gets the same duration.
 */
export function padPeaks(peaks: Float32Array[], duration: number, total: number): Float32Array[] {
  if (duration <= 0 || total <= duration) return peaks;
  return peaks.map((channel) => {
    const out = new Float32Array(Math.round((channel.length * total) / duration));
    out.set(channel.subarray(0, out.length));
    return out;
  });
}

/** The largest magnitude in the peaks; a plain loop, so a long song's lanes make no garbage. */
export function peakMax(peaks: Float32Array[]): number {
  let max = 0;
  for (const channel of peaks)
    for (let i = 0; i < channel.length; i++) {
      const magnitude = Math.abs(channel[i] ?? 0);
      if (magnitude > max) max = magnitude;
    }
  return max;
}
