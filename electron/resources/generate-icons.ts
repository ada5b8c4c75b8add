// Draws the app's PNG icons (app icon, taskbar badge, drag image) so they can be regenerated
// without an image editor: `npx node electron/resources/generate-icons.ts`. electron-builder
// derives the .icns and .ico files from icon.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
type Shader = (x: number, y: number) => Rgba | null;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Renders with 4x4 supersampling so edges are smooth, then encodes an RGBA PNG. */
function renderPng(size: number, shade: Shader): Buffer {
  const rows: Buffer[] = [];
  const grid = 4;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const color = shade((x + (sx + 0.5) / grid) / size, (y + (sy + 0.5) / grid) / size);
          if (!color) continue;
          const alpha = color[3] / 255;
          for (let i = 0; i < 3; i++) sum[i] = (sum[i] ?? 0) + (color[i] ?? 0) * alpha;
          sum[3] = (sum[3] ?? 0) + alpha;
        }
      }
      const coverage = (sum[3] ?? 0) / (grid * grid);
      const offset = 1 + x * 4;
      for (let i = 0; i < 3; i++) row[offset + i] = coverage ? Math.round((sum[i] ?? 0) / (sum[3] ?? 1)) : 0;
      row[offset + 3] = Math.round(coverage * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function insideRoundedSquare(x: number, y: number, margin: number, radius: number): boolean {
  const dx = Math.max(margin + radius - x, 0, x - (1 - margin - radius));
  const dy = Math.max(margin + radius - y, 0, y - (1 - margin - radius));
  return dx * dx + dy * dy <= radius * radius;
}

const LANES: Rgba[] = [
  [255, 138, 76, 255],
  [255, 204, 92, 255],
  [94, 214, 176, 255],
  [92, 162, 255, 255],
];

/** Four stem lanes of waveform bars on a dark rounded square. */
const appIcon: Shader = (x, y) => {
  if (!insideRoundedSquare(x, y, 0.06, 0.2)) return null;
  const background: Rgba = [Math.round(24 + 14 * y), Math.round(26 + 10 * y), Math.round(34 + 18 * y), 255];
  const lane = Math.floor((y - 0.2) / 0.15);
  if (lane < 0 || lane >= LANES.length || x < 0.2 || x > 0.8) return background;
  const bar = Math.floor((x - 0.2) / 0.05);
  const inBar = (x - 0.2) / 0.05 - bar;
  const height = 0.035 + 0.03 * Math.abs(Math.sin(bar * 1.7 + lane * 2.3));
  const centre = 0.2 + lane * 0.15 + 0.075;
  return inBar > 0.15 && inBar < 0.85 && Math.abs(y - centre) < height
    ? (LANES[lane] ?? background)
    : background;
};

const badge: Shader = (x, y) => ((x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.4 ** 2 ? [230, 72, 60, 255] : null);

const dragImage: Shader = (x, y) => {
  if (!insideRoundedSquare(x, y, 0.1, 0.12)) return null;
  const lane = Math.floor((y - 0.25) / 0.25);
  const isBar =
    lane >= 0 &&
    lane < 2 &&
    x > 0.22 &&
    x < 0.78 &&
    Math.abs(y - (0.375 + lane * 0.25)) < 0.04 + 0.04 * Math.abs(Math.sin(x * 40));
  return isBar ? (LANES[lane + 1] ?? [255, 255, 255, 255]) : [30, 32, 42, 230];
};

const here = import.meta.dirname;
writeFileSync(join(here, 'icon.png'), renderPng(1024, appIcon));
writeFileSync(join(here, 'badge.png'), renderPng(32, badge));
writeFileSync(join(here, 'drag.png'), renderPng(64, dragImage));
console.log(`icons written to ${here}`);
