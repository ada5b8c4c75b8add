// TPDF dither for 16-bit export: two uniform variables per sample give triangular noise of +-1 LSB,
// which turns the 24-to-16-bit truncation error into benign, signal-independent noise.
//
// Blocks that are already exact in 16 bits (digital silence, audio that came from a 16-bit WAV)
// are copied without noise, so silent stems stay silent and a 16-bit source survives bit-exactly.

export const DITHER_BLOCK = 1024;

/** xorshift32: fast and deterministic, so an export can be reproduced bit for bit from its seed. */
export function createNoise(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

export interface Dither16 {
  /** Values in 24-bit scale (integers or not) to 16-bit integers in `out`. */
  process(values: ArrayLike<number>, count: number, out: Int16Array): void;
}

function isExact16(values: ArrayLike<number>, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v % 256 !== 0 || v > 8388352) return false;
  }
  return true;
}

export function createTpdfDither(seed = 1): Dither16 {
  const noise = createNoise(seed);
  return {
    process(values, count, out) {
      for (let from = 0; from < count; from += DITHER_BLOCK) {
        const to = Math.min(count, from + DITHER_BLOCK);
        if (isExact16(values, from, to)) {
          for (let i = from; i < to; i++) out[i] = (values[i] as number) / 256;
          continue;
        }
        for (let i = from; i < to; i++) {
          const q = Math.round((values[i] as number) / 256 + noise() - noise());
          out[i] = q > 32767 ? 32767 : q < -32768 ? -32768 : q;
        }
      }
    },
  };
}
