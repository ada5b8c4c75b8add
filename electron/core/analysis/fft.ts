// A small in-place radix-2 FFT and the short-time magnitude spectra the tempo and key analysers read.

/** An in-place iterative radix-2 FFT of (re, im) for one power-of-two size, twiddles precomputed. */
function createFft(size: number): (re: Float64Array, im: Float64Array) => void {
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two: ${size}`);
  const cos = new Float64Array(size / 2);
  const sin = new Float64Array(size / 2);
  for (let k = 0; k < size / 2; k++) {
    cos[k] = Math.cos((-2 * Math.PI * k) / size);
    sin[k] = Math.sin((-2 * Math.PI * k) / size);
  }
  const reversed = new Uint32Array(size);
  for (let i = 1, j = 0; i < size; i++) {
    let bit = size >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    reversed[i] = j;
  }
  return (re, im) => {
    for (let i = 1; i < size; i++) {
      const j = reversed[i] as number;
      if (i >= j) continue;
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
    for (let span = 2; span <= size; span <<= 1) {
      const half = span >> 1;
      const stride = size / span;
      for (let start = 0; start < size; start += span) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * stride] as number;
          const wi = sin[k * stride] as number;
          const a = start + k;
          const b = a + half;
          const xr = (re[b] as number) * wr - (im[b] as number) * wi;
          const xi = (re[b] as number) * wi + (im[b] as number) * wr;
          re[b] = (re[a] as number) - xr;
          im[b] = (im[a] as number) - xi;
          re[a] = (re[a] as number) + xr;
          im[a] = (im[a] as number) + xi;
        }
      }
    }
  };
}

function hann(size: number): Float64Array {
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return window;
}

/** Fills `into` with the Hann-windowed frame starting at `start` (zero past the signal's end). */
function windowed(signal: Float32Array, start: number, window: Float64Array, into: Float64Array): void {
  const size = window.length;
  const available = Math.max(0, Math.min(size, signal.length - start));
  for (let i = 0; i < available; i++) into[i] = (signal[start + i] as number) * (window[i] as number);
  into.fill(0, available);
}

/**
 * Calls `onFrame(magnitudes, frameIndex)` for every hop of a Hann-windowed STFT over `signal`
 * (frames start at i * hop; the tail shorter than one frame is zero-padded), in frame order.
 * `magnitudes` holds size / 2 + 1 bins and is reused between calls.
 *
 * The frames are real, so two go through one complex FFT: frame a as the real part and frame b as
 * the imaginary part of z, and with Z = FFT(z), A[k] = (Z[k] + conj Z[N-k]) / 2 and
 * B[k] = (Z[k] - conj Z[N-k]) / 2i. Half the transforms of one frame at a time, the same spectra.
 */
export function forEachSpectrum(
  signal: Float32Array,
  size: number,
  hop: number,
  onFrame: (magnitudes: Float64Array, frameIndex: number) => void,
): void {
  const window = hann(size);
  const fft = createFft(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const first = new Float64Array(size / 2 + 1);
  const second = new Float64Array(size / 2 + 1);
  const frames = Math.ceil(signal.length / hop);
  for (let frame = 0; frame < frames; frame += 2) {
    const isPair = frame + 1 < frames;
    windowed(signal, frame * hop, window, re);
    if (isPair) windowed(signal, (frame + 1) * hop, window, im);
    else im.fill(0);
    fft(re, im);
    for (let k = 0; k <= size / 2; k++) {
      const mirror = (size - k) & (size - 1);
      const zr = re[k] as number;
      const zi = im[k] as number;
      const mr = re[mirror] as number;
      const mi = im[mirror] as number;
      first[k] = 0.5 * Math.sqrt((zr + mr) * (zr + mr) + (zi - mi) * (zi - mi));
      second[k] = 0.5 * Math.sqrt((zi + mi) * (zi + mi) + (zr - mr) * (zr - mr));
    }
    onFrame(first, frame);
    if (isPair) onFrame(second, frame + 1);
  }
}
