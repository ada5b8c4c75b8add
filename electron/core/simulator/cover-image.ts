// A small deterministic PNG cover (a two-colour gradient per take), so image_url points at a real image.
import { crc32, deflateSync } from 'node:zlib';
import { createRandom, hashSeed } from './ids.ts';

const SIZE = 64;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export function coverImage(seed: number): Uint8Array {
  const random = createRandom(hashSeed('cover', seed));
  const from = [random(), random(), random()].map((v) => Math.floor(40 + v * 180));
  const to = [random(), random(), random()].map((v) => Math.floor(40 + v * 180));
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 3));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 3);
    for (let x = 0; x < SIZE; x++) {
      const t = (x + y) / (2 * SIZE - 2);
      for (let c = 0; c < 3; c++) {
        rows[row + 1 + x * 3 + c] = Math.round((from[c] ?? 0) * (1 - t) + (to[c] ?? 0) * t);
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
