// Files dropped in browser mode arrive as bytes (a browser cannot hand over a path); they are kept
// under the data dir until submitted, addressed by an opaque id that cannot name any other file.
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

const ID_PATTERN = /^[0-9a-f-]{36}$/;

export function safeFileName(name: string): string {
  const cleaned = basename(name)
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .slice(-120);
  return cleaned.replace(/^\.+/, '') || 'audio';
}

export function createStagedFiles(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return {
    async save(
      name: string,
      body: Readable,
      maxBytes: number,
    ): Promise<{ fileId: string; name: string; size: number }> {
      const fileId = randomUUID();
      const folder = join(dir, fileId);
      mkdirSync(folder, { mode: 0o700 });
      const target = join(folder, safeFileName(name));
      let size = 0;
      body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) body.destroy(new Error(`file is larger than ${Math.round(maxBytes / 1e6)} MB`));
      });
      try {
        await pipeline(body, createWriteStream(`${target}.part`));
        await rename(`${target}.part`, target);
      } catch (error) {
        await rm(folder, { recursive: true, force: true });
        throw error;
      }
      return { fileId, name: basename(target), size };
    },
    resolve(fileId: string): { path: string; name: string } | null {
      if (!ID_PATTERN.test(fileId)) return null;
      const folder = join(dir, fileId);
      if (!existsSync(folder)) return null;
      const name = readdirSync(folder).find((f) => !f.endsWith('.part'));
      return name ? { path: join(folder, name), name } : null;
    },
  };
}
