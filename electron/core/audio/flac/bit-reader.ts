// MSB-first bit reads over one window of a FLAC file's bytes. Reading past the window's end is never
// silent: it calls `overrun`, which throws the IngestError that fits (the file ended, or a frame
// claims more bytes than any encoder writes), so a hostile length cannot make a read loop spin.

export class BitReader {
  readonly data: Uint8Array;
  /** Position in bits from the start of `data`. */
  pos: number;
  /** Bytes of `data` that may be read; `data` itself may be longer (a reused buffer). */
  readonly end: number;
  readonly overrun: () => never;

  constructor(data: Uint8Array, startByte: number, end: number, overrun: () => never) {
    this.data = data;
    this.pos = startByte * 8;
    this.end = end;
    this.overrun = overrun;
  }

  get bytePos(): number {
    return this.pos >>> 3;
  }

  /** An unsigned value of up to 32 bits. */
  readUint(bits: number): number {
    if (bits === 0) return 0;
    const pos = this.pos;
    if (pos + bits > this.end * 8) this.overrun();
    let index = pos >>> 3;
    let value = this.data[index]! & (0xff >>> (pos & 7));
    let have = 8 - (pos & 7);
    while (have < bits) {
      value = value * 256 + this.data[++index]!;
      have += 8;
    }
    this.pos = pos + bits;
    // Up to 39 bits in a double: division by a power of two and floor are exact there.
    return Math.floor(value / 2 ** (have - bits));
  }

  /** A two's complement value of up to 32 bits. */
  readSigned(bits: number): number {
    if (bits === 0) return 0;
    const value = this.readUint(bits);
    return value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
  }

  /** Counts 0 bits up to and past the next 1 bit (a unary code). */
  readUnary(): number {
    let count = 0;
    while (this.readUint(1) === 0) count++;
    return count;
  }

  alignToByte(): void {
    this.pos = (this.pos + 7) & ~7;
    if (this.pos > this.end * 8) this.overrun();
  }
}
