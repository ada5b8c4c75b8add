// One channel of a FLAC frame: a CONSTANT, VERBATIM, FIXED (orders 0-4) or LPC (orders 1-32)
// subframe, with its wasted low bits put back. Values are exact integers; the prediction sums run
// in doubles, which hold order 32 x 15-bit coefficients x 25-bit samples without rounding.
import { IngestError } from '../errors.ts';
import type { BitReader } from './bit-reader.ts';
import { readResidual, type ResidualCoding } from './residual.ts';

export type SubframeSummary =
  | { kind: 'constant' | 'verbatim'; order: 0; wastedBits: number; codings: Set<ResidualCoding> }
  | { kind: 'fixed' | 'lpc'; order: number; wastedBits: number; codings: Set<ResidualCoding> };

function damaged(what: string): IngestError {
  return new IngestError('not_audio', `the FLAC file is damaged (${what})`);
}

function predictFixed(out: Int32Array, order: number, blockSize: number): void {
  if (order === 1) for (let i = 1; i < blockSize; i++) out[i] = out[i]! + out[i - 1]!;
  else if (order === 2) for (let i = 2; i < blockSize; i++) out[i] = out[i]! + 2 * out[i - 1]! - out[i - 2]!;
  else if (order === 3)
    for (let i = 3; i < blockSize; i++) out[i] = out[i]! + 3 * (out[i - 1]! - out[i - 2]!) + out[i - 3]!;
  else if (order === 4)
    for (let i = 4; i < blockSize; i++)
      out[i] = out[i]! + 4 * (out[i - 1]! + out[i - 3]!) - 6 * out[i - 2]! - out[i - 4]!;
}

function predictLpc(out: Int32Array, coefficients: Float64Array, shift: number, blockSize: number): void {
  const order = coefficients.length;
  const scale = 2 ** -shift;
  for (let i = order; i < blockSize; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefficients[j]! * out[i - 1 - j]!;
    // An arithmetic right shift, as the reference decoder does: floor, also for negative sums.
    out[i] = out[i]! + Math.floor(sum * scale);
  }
}

function readWarmUp(reader: BitReader, out: Int32Array, order: number, bits: number): void {
  for (let i = 0; i < order; i++) out[i] = reader.readSigned(bits);
}

/** Decodes one subframe of `blockSize` samples at `bits` per sample (one more for a side channel). */
export function readSubframe(
  reader: BitReader,
  out: Int32Array,
  blockSize: number,
  sampleBits: number,
): SubframeSummary {
  if (reader.readUint(1) !== 0) throw damaged('subframe padding bit set');
  const type = reader.readUint(6);
  const wastedBits = reader.readUint(1) === 1 ? reader.readUnary() + 1 : 0;
  const bits = sampleBits - wastedBits;
  if (bits <= 0) throw damaged('more wasted bits than sample bits');
  const codings = new Set<ResidualCoding>();
  let summary: SubframeSummary;
  if (type === 0) {
    out.fill(reader.readSigned(bits), 0, blockSize);
    summary = { kind: 'constant', order: 0, wastedBits, codings };
  } else if (type === 1) {
    for (let i = 0; i < blockSize; i++) out[i] = reader.readSigned(bits);
    summary = { kind: 'verbatim', order: 0, wastedBits, codings };
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    if (order > blockSize) throw damaged('predictor order longer than the block');
    readWarmUp(reader, out, order, bits);
    readResidual(reader, out, blockSize, order, codings);
    predictFixed(out, order, blockSize);
    summary = { kind: 'fixed', order, wastedBits, codings };
  } else if (type >= 32) {
    const order = type - 31;
    if (order > blockSize) throw damaged('predictor order longer than the block');
    readWarmUp(reader, out, order, bits);
    const precision = reader.readUint(4) + 1;
    if (precision === 16) throw damaged('invalid LPC precision');
    const shift = reader.readSigned(5);
    if (shift < 0) throw damaged('negative LPC shift');
    const coefficients = new Float64Array(order);
    for (let j = 0; j < order; j++) coefficients[j] = reader.readSigned(precision);
    readResidual(reader, out, blockSize, order, codings);
    predictLpc(out, coefficients, shift, blockSize);
    summary = { kind: 'lpc', order, wastedBits, codings };
  } else {
    throw damaged(`reserved subframe type ${type}`);
  }
  if (wastedBits > 0) for (let i = 0; i < blockSize; i++) out[i] = out[i]! * 2 ** wastedBits;
  return summary;
}
