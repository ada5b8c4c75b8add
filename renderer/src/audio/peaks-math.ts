// Waveform helper for lanes: padding so lanes of different lengths share one timeline.

/**
 * Extends peaks covering `duration` seconds with silence so they cover `total` seconds: wavesurfer
 * spreads the peaks it is given over the duration it is given, so every lane gets the same duration.
 */
export function padPeaks(peaks: number[][], duration: number, total: number): number[][] {
  if (duration <= 0 || total <= duration) return peaks;
  return peaks.map((channel) => {
    const length = Math.round((channel.length * total) / duration);
    const out = new Array<number>(length).fill(0);
    for (let i = 0; i < channel.length; i++) out[i] = channel[i] ?? 0;
    return out;
  });
}
