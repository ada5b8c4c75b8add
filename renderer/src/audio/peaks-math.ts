// Waveform helpers for lanes: wavesurfer-style peaks from decoded channels (the source-file lane has
// no stored peaks), and padding so lanes of different lengths share one timeline.

/** Per bucket, the sample with the largest magnitude, signed, like wavesurfer's own exportPeaks(). */
export function peaksFromChannels(channels: Float32Array[], count: number): number[][] {
  return channels.map((data) => {
    const out = new Array<number>(count).fill(0);
    const size = data.length / count;
    for (let p = 0; p < count; p++) {
      let best = 0;
      const end = Math.min(data.length, Math.floor((p + 1) * size));
      for (let i = Math.floor(p * size); i < end; i++) {
        const v = data[i] ?? 0;
        if (Math.abs(v) > Math.abs(best)) best = v;
      }
      out[p] = best;
    }
    return out;
  });
}

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

/** Float channels to interleaved int16, clamped (the engine's lane format). */
export function interleaveInt16(channels: Float32Array[]): Int16Array {
  const count = channels.length;
  const frames = channels[0]?.length ?? 0;
  const out = new Int16Array(frames * count);
  for (let c = 0; c < count; c++) {
    const data = channels[c] ?? new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const v = Math.round((data[i] ?? 0) * 32768);
      out[i * count + c] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  }
  return out;
}
