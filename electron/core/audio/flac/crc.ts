// The two checksums of a FLAC frame: CRC-8 over its header (polynomial x^8+x^2+x+1) and CRC-16 over
// the whole frame (x^16+x^15+x^2+1), both MSB-first with a zero start, as the FLAC format defines them.

function table(poly: number, width: 8 | 16): Uint16Array {
  const top = 1 << (width - 1);
  const mask = (1 << width) - 1;
  const out = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << (width - 8);
    for (let bit = 0; bit < 8; bit++) crc = (crc & top ? (crc << 1) ^ poly : crc << 1) & mask;
    out[byte] = crc;
  }
  return out;
}

const CRC8 = table(0x07, 8);
const CRC16 = table(0x8005, 16);

export function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = CRC8[crc ^ bytes[i]!]!;
  return crc;
}

export function crc16(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >>> 8) ^ bytes[i]!]!;
  return crc;
}
