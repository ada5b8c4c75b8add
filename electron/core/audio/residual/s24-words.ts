// The residual's hot loops: unpack s24le samples four at a time from three 32-bit words (a quarter
// of the loads of byte-wise unpacking), either into an array (the source) or straight out of a
// running total (the stems, four at a time), so a stem's samples are never stored just to be
// subtracted.

function wordsOf(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
}

/** Sample `i` of s24le `bytes`, sign-extended. */
export function s24At(bytes: Uint8Array, i: number): number {
  const o = i * 3;
  return ((bytes[o + 2]! << 24) | (bytes[o + 1]! << 16) | (bytes[o]! << 8)) >> 8;
}

/** Writes `count` samples from `bytes` (4-byte aligned, as pcm-reader allocates them) to out[at..]. */
export function unpackS24(bytes: Uint8Array, count: number, out: Int32Array, at: number): void {
  const words = wordsOf(bytes);
  let i = 0;
  for (let w = 0; i + 4 <= count; i += 4, w += 3) {
    const w0 = words[w]!;
    const w1 = words[w + 1]!;
    const w2 = words[w + 2]!;
    // Shifting a 24-bit value up by 8 and back arithmetically sign-extends it.
    out[at + i] = (w0 << 8) >> 8;
    out[at + i + 1] = (((w0 >>> 24) | (w1 << 8)) << 8) >> 8;
    out[at + i + 2] = (((w1 >>> 16) | (w2 << 16)) << 8) >> 8;
    out[at + i + 3] = w2 >> 8;
  }
  for (; i < count; i++) out[at + i] = s24At(bytes, i);
}

/** Subtracts samples [from, to) of `bytes` (4-byte aligned) from minus[from..to). */
export function subtractS24(bytes: Uint8Array, from: number, to: number, minus: Int32Array): void {
  let i = from;
  // Byte-wise up to a word boundary (only a group's stems of different lengths start mid-word).
  for (; i < to && i % 4 !== 0; i++) minus[i]! -= s24At(bytes, i);
  const words = wordsOf(bytes);
  for (let w = (i / 4) * 3; i + 4 <= to; i += 4, w += 3) {
    const w0 = words[w]!;
    const w1 = words[w + 1]!;
    const w2 = words[w + 2]!;
    minus[i]! -= (w0 << 8) >> 8;
    minus[i + 1]! -= (((w0 >>> 24) | (w1 << 8)) << 8) >> 8;
    minus[i + 2]! -= (((w1 >>> 16) | (w2 << 16)) << 8) >> 8;
    minus[i + 3]! -= w2 >> 8;
  }
  for (; i < to; i++) minus[i]! -= s24At(bytes, i);
}

/** Where four stereo stems' every n-th frame goes while they are subtracted (the leak meter's samples). */
export interface StereoKeep {
  /** Samples from one kept frame to the next: a multiple of 4 (a kept frame starts a word group). */
  every: number;
  into: readonly [Int32Array, Int32Array, Int32Array, Int32Array];
}

/**
 * Subtracts samples [0, count) of four stems at once (count a multiple of 4): one read-modify-write
 * of `minus` per sample instead of four, which is what bounds the one-stem loop. Integer sums, so
 * the result is the same as four single subtractions. With `keep` (stereo stems), both samples of
 * every kept frame are stored too, from the words already loaded rather than in a second pass.
 */
export function subtractS24x4(
  bytes: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array],
  count: number,
  minus: Int32Array,
  keep: StereoKeep | null = null,
): void {
  const a = wordsOf(bytes[0]);
  const b = wordsOf(bytes[1]);
  const c = wordsOf(bytes[2]);
  const d = wordsOf(bytes[3]);
  const none = new Int32Array(0);
  const [keepA, keepB, keepC, keepD] = keep?.into ?? [none, none, none, none];
  const every = keep?.every ?? 0;
  // The next sample index to keep; -1, which no index is, when nothing is kept.
  let nextKeep = keep ? 0 : -1;
  for (let i = 0, w = 0, k = 0; i + 4 <= count; i += 4, w += 3) {
    const a0 = a[w]!;
    const a1 = a[w + 1]!;
    const a2 = a[w + 2]!;
    const b0 = b[w]!;
    const b1 = b[w + 1]!;
    const b2 = b[w + 2]!;
    const c0 = c[w]!;
    const c1 = c[w + 1]!;
    const c2 = c[w + 2]!;
    const d0 = d[w]!;
    const d1 = d[w + 1]!;
    const d2 = d[w + 2]!;
    if (i === nextKeep) {
      // A kept frame starts a word group: its two samples are the group's first two.
      keepA[k] = (a0 << 8) >> 8;
      keepA[k + 1] = (((a0 >>> 24) | (a1 << 8)) << 8) >> 8;
      keepB[k] = (b0 << 8) >> 8;
      keepB[k + 1] = (((b0 >>> 24) | (b1 << 8)) << 8) >> 8;
      keepC[k] = (c0 << 8) >> 8;
      keepC[k + 1] = (((c0 >>> 24) | (c1 << 8)) << 8) >> 8;
      keepD[k] = (d0 << 8) >> 8;
      keepD[k + 1] = (((d0 >>> 24) | (d1 << 8)) << 8) >> 8;
      k += 2;
      nextKeep += every;
    }
    minus[i]! -= ((a0 << 8) >> 8) + ((b0 << 8) >> 8) + ((c0 << 8) >> 8) + ((d0 << 8) >> 8);
    minus[i + 1]! -=
      ((((a0 >>> 24) | (a1 << 8)) << 8) >> 8) +
      ((((b0 >>> 24) | (b1 << 8)) << 8) >> 8) +
      ((((c0 >>> 24) | (c1 << 8)) << 8) >> 8) +
      ((((d0 >>> 24) | (d1 << 8)) << 8) >> 8);
    minus[i + 2]! -=
      ((((a1 >>> 16) | (a2 << 16)) << 8) >> 8) +
      ((((b1 >>> 16) | (b2 << 16)) << 8) >> 8) +
      ((((c1 >>> 16) | (c2 << 16)) << 8) >> 8) +
      ((((d1 >>> 16) | (d2 << 16)) << 8) >> 8);
    minus[i + 3]! -= (a2 >> 8) + (b2 >> 8) + (c2 >> 8) + (d2 >> 8);
  }
}
