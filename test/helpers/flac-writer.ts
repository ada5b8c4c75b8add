// A tiny FLAC writer for tests, written apart from the app's decoder (bit by bit, CRCs computed
// bitwise rather than from tables), for what ffmpeg's encoder never writes: escape-coded residual
// partitions, frames that lie about their size or number, streams cut at a frame boundary.

export class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      const bit = Math.floor(value / 2 ** i) & 1;
      this.current = (this.current << 1) | bit;
      if (++this.used === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.used = 0;
      }
    }
  }

  writeSigned(value: number, bits: number): void {
    this.write(value < 0 ? value + 2 ** bits : value, bits);
  }

  writeUnary(zeros: number): void {
    for (let i = 0; i < zeros; i++) this.write(0, 1);
    this.write(1, 1);
  }

  align(): void {
    if (this.used > 0) this.write(0, 8 - this.used);
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function crc(bytes: Uint8Array, poly: number, width: number): number {
  let value = 0;
  const top = 2 ** (width - 1);
  const mask = 2 ** width - 1;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const isTop = (value & top) !== 0;
      const incoming = (byte >> bit) & 1;
      value = ((value << 1) | 0) & mask;
      if (isTop !== (incoming === 1)) value ^= poly;
    }
  }
  return value;
}

export const crc8 = (bytes: Uint8Array) => crc(bytes, 0x07, 8);
export const crc16 = (bytes: Uint8Array) => crc(bytes, 0x8005, 16);

export interface StreamInfoFields {
  minBlockSize?: number;
  maxBlockSize?: number;
  sampleRate?: number;
  channels?: number;
  bitsPerSample?: number;
  totalSamples?: number;
}

/** "fLaC" + one (last) STREAMINFO block. */
export function flacHead(fields: StreamInfoFields): Uint8Array {
  const w = new BitWriter();
  w.write(0x664c6143, 32);
  w.write(1, 1);
  w.write(0, 7);
  w.write(34, 24);
  w.write(fields.minBlockSize ?? 4096, 16);
  w.write(fields.maxBlockSize ?? 4096, 16);
  w.write(0, 24);
  w.write(0, 24);
  w.write(fields.sampleRate ?? 44100, 20);
  w.write((fields.channels ?? 1) - 1, 3);
  w.write((fields.bitsPerSample ?? 16) - 1, 5);
  w.write(fields.totalSamples ?? 0, 36);
  for (let i = 0; i < 4; i++) w.write(0, 32);
  return w.toBytes();
}

/** One partition of a FIXED subframe's residual: Rice-coded with `parameter`, or escaped to `escapeBits`. */
export type Partition = { parameter: number; values: number[] } | { escapeBits: number; values: number[] };

export interface FrameSpec {
  /** Frame number (fixed blocking). */
  number: number;
  blockSize: number;
  /** 16-bit samples of the one (mono) channel: a FIXED order-0 subframe, so residual = samples. */
  partitions: Partition[];
  /** Block size code in the header; 7 (explicit 16-bit) by default. */
  blockSizeOverride?: number;
}

/** A mono 16-bit 44.1 kHz frame with one FIXED order-0 subframe. */
export function flacFrame(spec: FrameSpec): Uint8Array {
  const w = new BitWriter();
  w.write(0x7ffc, 15);
  w.write(0, 1);
  w.write(7, 4); // block size: explicit 16-bit field
  w.write(9, 4); // 44.1 kHz
  w.write(0, 4); // mono
  w.write(4, 3); // 16-bit
  w.write(0, 1);
  if (spec.number >= 128) throw new Error('the test writer codes frame numbers < 128 only');
  w.write(spec.number, 8);
  w.write((spec.blockSizeOverride ?? spec.blockSize) - 1, 16);
  w.align();
  w.write(crc8(w.toBytes()), 8);
  w.write(0, 1);
  w.write(8, 6); // FIXED, order 0
  w.write(0, 1);
  w.write(0, 2); // Rice, 4-bit parameters
  const order = Math.log2(spec.partitions.length);
  if (!Number.isInteger(order)) throw new Error('partition count must be a power of two');
  w.write(order, 4);
  for (const partition of spec.partitions) {
    if ('escapeBits' in partition) {
      w.write(15, 4);
      w.write(partition.escapeBits, 5);
      for (const v of partition.values) w.writeSigned(v, partition.escapeBits);
    } else {
      w.write(partition.parameter, 4);
      for (const v of partition.values) {
        const folded = v >= 0 ? v * 2 : -v * 2 - 1;
        w.writeUnary(Math.floor(folded / 2 ** partition.parameter));
        w.write(folded % 2 ** partition.parameter, partition.parameter);
      }
    }
  }
  w.align();
  const body = w.toBytes();
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  const check = crc16(body);
  out[body.length] = check >> 8;
  out[body.length + 1] = check & 0xff;
  return out;
}

export function concat(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}
