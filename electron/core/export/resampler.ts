// A streaming polyphase windowed-sinc resampler for exact rational rate ratios. Output sample n
// sits at input time n * in / out; flush() pads with silence and stops at exactly
// round(inputFrames * out / in) frames, so no sample is dropped at the end (libsamplerate's
// one-shot call lost 21-156 frames here) and every stem converts to the same length.

export interface ResamplerOptions {
  inRate: number;
  outRate: number;
  channels: number;
  /** Zero crossings of the output-rate sinc on each side; 32 gives about -90 dB of stopband. */
  zeroCrossings?: number;
  /** Kaiser window beta. */
  beta?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency. */
  rolloff?: number;
}

export interface Resampler {
  /** Interleaved input frames; returns the interleaved output frames they complete. */
  push(input: ArrayLike<number>, frames: number): Float64Array;
  /** Ends the stream: the remaining output up to the exact total. */
  flush(): Float64Array;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Frames the resampler produces for `inFrames` input frames. */
export function resampledLength(inFrames: number, inRate: number, outRate: number): number {
  if (inRate === outRate) return inFrames;
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  // round(inFrames * up / down) in integers: halves round up, as Math.round does.
  return Math.floor((2 * inFrames * up + down) / (2 * down));
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export function createResampler(options: ResamplerOptions): Resampler {
  const { inRate, outRate, channels } = options;
  if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
    throw new RangeError(`sample rates must be positive integers (${inRate} -> ${outRate})`);
  }
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  const cutoff = Math.min(1, outRate / inRate) * (options.rolloff ?? 0.945);
  const half = Math.ceil((options.zeroCrossings ?? 32) / cutoff);
  const taps = 2 * half;
  const beta = options.beta ?? 9;
  const i0Beta = besselI0(beta);
  // One row of `taps` coefficients per phase, computed when a phase is first used.
  const coefs = new Float64Array(up * taps);
  const isReady = new Uint8Array(up);

  function phase(p: number): number {
    const row = p * taps;
    if (isReady[p]) return row;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const tau = p / up + half - 1 - k;
      const x = tau / half;
      const window = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
      const arg = Math.PI * cutoff * tau;
      const value = (arg === 0 ? cutoff : Math.sin(arg) / (Math.PI * tau)) * window;
      coefs[row + k] = value;
      sum += value;
    }
    // Unity gain at DC for every phase, so a constant stays constant (no phase-dependent ripple).
    for (let k = 0; k < taps; k++) coefs[row + k] = (coefs[row + k] ?? 0) / sum;
    isReady[p] = 1;
    return row;
  }

  // Interleaved history: buffer frame b holds input frame `start + b`; it starts with `half - 1`
  // frames of silence before the first input so the first outputs see zeros, not garbage.
  let buffer = new Float64Array(Math.max(4096, taps * 2) * channels);
  let length = half - 1;
  let start = -(half - 1);
  let inputFrames = 0;
  let next = 0;
  let isFlushed = false;

  function append(input: ArrayLike<number>, frames: number): void {
    if ((length + frames) * channels > buffer.length) {
      const grown = new Float64Array(Math.max(buffer.length * 2, (length + frames) * channels));
      grown.set(buffer.subarray(0, length * channels));
      buffer = grown;
    }
    const base = length * channels;
    for (let i = 0; i < frames * channels; i++) buffer[base + i] = input[i] ?? 0;
    length += frames;
  }

  function produce(limit: number): Float64Array {
    // Output n needs input frames floor(n*down/up) - half + 1 ... floor(n*down/up) + half.
    const available = start + length;
    let end = next;
    while (end < limit && Math.floor((end * down) / up) + half < available) end++;
    const out = new Float64Array((end - next) * channels);
    const history = buffer;
    const table = coefs;
    for (let n = next, o = 0; n < end; n++, o += channels) {
      const i = Math.floor((n * down) / up);
      const row = phase(n * down - i * up);
      const first = (i - half + 1 - start) * channels;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        let b = first + c;
        for (let k = row, last = row + taps; k < last; k++, b += channels) acc += table[k]! * history[b]!;
        out[o + c] = acc;
      }
    }
    next = end;
    // Drop history no later output can reach.
    const keepFrom = Math.floor((next * down) / up) - half + 1;
    const drop = Math.min(length, Math.max(0, keepFrom - start));
    if (drop > 0) {
      buffer.copyWithin(0, drop * channels, length * channels);
      length -= drop;
      start += drop;
    }
    return out;
  }

  return {
    push(input, frames) {
      if (isFlushed) throw new Error('push() after flush()');
      inputFrames += frames;
      append(input, frames);
      return produce(Number.MAX_SAFE_INTEGER);
    },
    flush() {
      if (isFlushed) return new Float64Array(0);
      isFlushed = true;
      // Enough silence for the last output's window, even when downsampling by a large factor.
      const tail = half + 2 + Math.ceil(down / up);
      append(new Float64Array(tail * channels), tail);
      const total = resampledLength(inputFrames, inRate, outRate);
      const out = produce(total);
      if (next !== total) throw new Error(`resampler produced ${next} of ${total} frames`);
      return out;
    },
  };
}
