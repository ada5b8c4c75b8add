// The residual's hot loop: unpacks s24le samples four at a time from three 32-bit words (a quarter
// of the loads of byte-wise unpacking), optionally subtracting each one from a running total.

/**
 * Writes `count` samples from `bytes` (4-byte aligned, as allocated here) to out[at..], and
 * subtracts them from minus[at..] when given.
 */
export function unpackS24(
  bytes: Uint8Array,
  count: number,
  out: Int32Array,
  at: number,
  minus: Int32Array | null,
): void {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  // Two copies of one loop: a branch per sample would cost as much as the unpacking.
  let i = 0;
  if (minus) {
    for (let w = 0; i + 4 <= count; i += 4, w += 3) {
      const w0 = words[w]!;
      const w1 = words[w + 1]!;
      const w2 = words[w + 2]!;
      const a = (w0 << 8) >> 8;
      const b = (((w0 >>> 24) | (w1 << 8)) << 8) >> 8;
      const c = (((w1 >>> 16) | (w2 << 16)) << 8) >> 8;
      const d = w2 >> 8;
      const j = at + i;
      out[j] = a;
      out[j + 1] = b;
      out[j + 2] = c;
      out[j + 3] = d;
      minus[j]! -= a;
      minus[j + 1]! -= b;
      minus[j + 2]! -= c;
      minus[j + 3]! -= d;
    }
  } else {
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
  }
  for (let o = i * 3; i < count; i++, o += 3) {
    const v = ((bytes[o + 2]! << 24) | (bytes[o + 1]! << 16) | (bytes[o]! << 8)) >> 8;
    out[at + i] = v;
    if (minus) minus[at + i]! -= v;
  }
}
