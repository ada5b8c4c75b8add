// The residual of a FIXED or LPC subframe: partitions coded with Rice (4-bit parameters) or Rice2
// (5-bit), each possibly escaped to plain signed values. The Rice loop is the decoder's hot path,
// so it reads bytes directly instead of going through BitReader calls per field.
import { IngestError } from '../errors.ts';
import type { BitReader } from './bit-reader.ts';

export type ResidualCoding = 'rice' | 'rice2' | 'escape';

function damaged(what: string): IngestError {
  return new IngestError('not_audio', `the FLAC file is damaged (${what})`);
}

function readRicePartition(reader: BitReader, out: Int32Array, from: number, to: number, k: number): void {
  const data = reader.data;
  const endByte = reader.end;
  // A quotient this large cannot be part of a 32-bit residual: the bytes are not a real residual.
  const maxQuotient = 2 ** (32 - k);
  let pos = reader.pos;
  for (let i = from; i < to; i++) {
    let index = pos >>> 3;
    let bits = (data[index]! << (pos & 7)) & 0xff;
    let quotient: number;
    if (bits !== 0) {
      const zeros = Math.clz32(bits) - 24;
      quotient = zeros;
      pos += zeros + 1;
    } else {
      quotient = 8 - (pos & 7);
      index++;
      while (index < endByte && (bits = data[index]!) === 0) {
        quotient += 8;
        index++;
      }
      if (index >= endByte) reader.overrun();
      const zeros = Math.clz32(bits) - 24;
      quotient += zeros;
      pos = index * 8 + zeros + 1;
    }
    if (quotient >= maxQuotient) throw damaged('a residual value does not fit in 32 bits');
    let low = 0;
    if (k > 0) {
      if (k <= 24) {
        const at = pos >>> 3;
        // Bytes past the window read as undefined (0 here); the position check below catches that.
        const word = (data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;
        low = (word << (pos & 7)) >>> (32 - k);
        pos += k;
      } else {
        reader.pos = pos;
        low = reader.readUint(k);
        pos = reader.pos;
      }
    }
    const folded = ((quotient << k) | low) >>> 0;
    out[i] = (folded >>> 1) ^ -(folded & 1);
  }
  if (pos > endByte * 8) reader.overrun();
  reader.pos = pos;
}

/**
 * Reads `blockSize - order` residual values into out[order..blockSize). `codings` collects which
 * codings the partitions used (for tests that check an encoder exercised each one).
 */
export function readResidual(
  reader: BitReader,
  out: Int32Array,
  blockSize: number,
  order: number,
  codings: Set<ResidualCoding>,
): void {
  const method = reader.readUint(2);
  if (method > 1) throw damaged('reserved residual coding');
  const parameterBits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  codings.add(method === 0 ? 'rice' : 'rice2');
  const partitionOrder = reader.readUint(4);
  const partitionSize = blockSize >>> partitionOrder;
  if (partitionSize << partitionOrder !== blockSize || partitionSize < order)
    throw damaged('residual partitions do not fit the block');
  let at = order;
  for (let p = 0; p < 1 << partitionOrder; p++) {
    const end = (p + 1) * partitionSize;
    const parameter = reader.readUint(parameterBits);
    if (parameter !== escape) {
      readRicePartition(reader, out, at, end, parameter);
    } else {
      codings.add('escape');
      const bits = reader.readUint(5);
      for (let i = at; i < end; i++) out[i] = reader.readSigned(bits);
    }
    at = end;
  }
}
