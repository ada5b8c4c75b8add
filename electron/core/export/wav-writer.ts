// A streaming WAV writer: the header is written first from the promised frame count, audio is
// appended in chunks, and the file appears under its final name only once every byte is there
// (a `.part` file published by link or rename), so a failed export never leaves a short WAV.
import { link, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { diskFullProblem } from '../disk-space.ts';
import { ExportError } from './errors.ts';
import { buildWavHeader, dataBytesOf, type WavSpec } from './wav-header.ts';

export interface WavWriter {
  readonly path: string;
  readonly frames: number;
  /** Sample bytes already in the file's format, whole frames. */
  write(bytes: Uint8Array): Promise<void>;
  writeSilence(frames: number): Promise<void>;
  /** Checks the byte count against the header, then publishes the file. */
  close(): Promise<void>;
  abort(): Promise<void>;
}

export interface WavWriterOptions {
  frames: number;
  /** Replace an existing file; otherwise publishing onto one fails with code 'exists'. */
  overwrite?: boolean;
  riffLimit?: number;
}

const ZEROS = new Uint8Array(1 << 20);

async function publish(partPath: string, path: string, overwrite: boolean): Promise<void> {
  if (overwrite) return rename(partPath, path);
  try {
    // link() refuses an existing target atomically, which rename() does not.
    await link(partPath, path);
    await rm(partPath, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ExportError('exists', `${path} already exists`);
    // exFAT/FAT drives have no hard links: check, then rename.
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    )
      throw new ExportError('exists', `${path} already exists`);
    await rename(partPath, path);
  }
}

export async function createWavWriter(
  path: string,
  spec: WavSpec,
  options: WavWriterOptions,
): Promise<WavWriter> {
  const partPath = `${path}.part`;
  const expected = dataBytesOf(spec, options.frames);
  const frameBytes = dataBytesOf(spec, 1);
  // Export and drag files both come through here: a full disk is said before the first byte.
  const problem = await diskFullProblem(dirname(path), expected, basename(path));
  if (problem) throw new ExportError('disk_full', `${problem} Free some space and try again.`);
  let handle: FileHandle | null = await open(partPath, 'w');
  let position = 0;
  let written = 0;

  async function put(bytes: Uint8Array): Promise<void> {
    if (!handle) throw new ExportError('io', 'the WAV writer is closed');
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, position);
      offset += bytesWritten;
      position += bytesWritten;
    }
  }

  try {
    await put(buildWavHeader(spec, { frames: options.frames, riffLimit: options.riffLimit }));
  } catch (error) {
    await handle.close();
    await rm(partPath, { force: true });
    throw error;
  }

  const writer: WavWriter = {
    path,
    frames: options.frames,
    async write(bytes) {
      if (written + bytes.length > expected) {
        throw new ExportError(
          'length_mismatch',
          `more audio than the ${options.frames} frames promised for ${path}`,
        );
      }
      await put(bytes);
      written += bytes.length;
    },
    async writeSilence(frames) {
      let left = frames * frameBytes;
      while (left > 0) {
        const chunk = ZEROS.subarray(0, Math.min(left, ZEROS.length));
        await writer.write(chunk);
        left -= chunk.length;
      }
    },
    async close() {
      if (!handle) return;
      if (written !== expected) {
        await writer.abort();
        throw new ExportError(
          'length_mismatch',
          `${path}: wrote ${written} audio bytes, expected ${expected}`,
        );
      }
      // RIFF chunks are word-aligned: an odd data chunk gets one pad byte after it.
      if (expected % 2 === 1) await put(new Uint8Array(1));
      await handle.close();
      handle = null;
      await publish(partPath, path, options.overwrite ?? false).catch(async (error: unknown) => {
        await rm(partPath, { force: true });
        throw error;
      });
    },
    async abort() {
      if (handle) await handle.close().catch(() => undefined);
      handle = null;
      await rm(partPath, { force: true });
    },
  };
  return writer;
}
