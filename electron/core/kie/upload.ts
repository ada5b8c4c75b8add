// Local file → KIE File Upload API (its own host): base64 JSON for small files, hand-built streamed multipart otherwise.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { createValidationError, KieError } from './errors.ts';
import { sendKieRequest } from './http.ts';
import { isSafeRetry, withRetry } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { SNIFF_HEAD_BYTES, sniffAudio } from '../../../shared/audio-sniff.ts';
import { UPLOAD_MAX_BYTES } from '../../../shared/kie/limits.ts';

const BASE64_MAX_BYTES = 1_048_576;
const DEFAULT_UPLOAD_PATH = 'stemhook/uploads';

export interface UploadInput {
  path: string;
  fileName?: string;
  uploadPath?: string;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

export interface UploadResult {
  downloadUrl: string;
  fileName: string;
  fileSize: number;
}

interface UploadDeps {
  apiKey: string;
  uploadBaseUrl: string;
  /** For streams this is an idle limit: the upload fails only if no bytes move (or no answer comes) for this long. */
  timeoutMs: number;
  redact: (text: string) => string;
  retry: RetryPolicy;
}

const MIME_TYPES: Record<string, string> = {
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/opus',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
};

/**
 * Why this file must not be sent to KIE, in one plain sentence, or null. It reads only the first
 * bytes, so a wrong or huge file is refused before anything is hashed, uploaded or billed. The
 * submitter asks before hashing; uploadFile itself stays a plain transport.
 */
export async function uploadProblem(path: string, name: string, size: number): Promise<string | null> {
  if (size > UPLOAD_MAX_BYTES) {
    const shown = (bytes: number) =>
      bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(bytes / 2 ** 20)} MB`;
    return `${name} is ${shown(size)}, more than the ${shown(UPLOAD_MAX_BYTES)} KIE accepts; export a shorter or compressed (MP3) version and submit that.`;
  }
  const head = new Uint8Array(SNIFF_HEAD_BYTES);
  const file = await open(path, 'r');
  try {
    await file.read(head, 0, head.length, 0);
  } finally {
    await file.close();
  }
  if (sniffAudio(head)) return null;
  return `${name} is not an audio file (not MP3, WAV, FLAC, AIFF, M4A, OGG or AAC inside); choose the audio file itself.`;
}

export async function uploadFile(deps: UploadDeps, input: UploadInput): Promise<UploadResult> {
  const size = await fileSize(input.path);
  // KIE overwrites an earlier upload with the same name, which would swap the audio under a pending task.
  const fileName = input.fileName ?? uniqueName(basename(input.path));
  const uploadPath = (input.uploadPath ?? DEFAULT_UPLOAD_PATH).replace(/^\/+|\/+$/g, '');
  if (uploadPath === '' || fileName === '' || /[/\\]/.test(fileName)) {
    throw createValidationError([
      { field: 'fileName', message: 'The upload name must be a plain file name.' },
    ]);
  }
  const mimeType = MIME_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
  const base = deps.uploadBaseUrl.replace(/\/+$/, '');
  const progress = input.onProgress ?? (() => undefined);
  const send = async (): Promise<unknown> => {
    progress(0, size);
    if (size <= BASE64_MAX_BYTES) {
      const base64Data = `data:${mimeType};base64,${(await readFile(input.path)).toString('base64')}`;
      const json = { base64Data, uploadPath, fileName };
      const data = await sendKieRequest({ ...common(deps), url: `${base}/api/file-base64-upload`, json });
      progress(size, size);
      return data;
    }
    return sendStream(deps, `${base}/api/file-stream-upload`, {
      ...input,
      fileName,
      uploadPath,
      mimeType,
      size,
    });
  };
  const data = await withRetry(send, isSafeRetry, deps.retry);
  return toResult(data, fileName, size);
}

function common(deps: UploadDeps) {
  return {
    method: 'POST' as const,
    apiKey: deps.apiKey,
    family: 'upload' as const,
    redact: deps.redact,
    timeoutMs: deps.timeoutMs,
  };
}

interface StreamPlan extends UploadInput {
  fileName: string;
  uploadPath: string;
  mimeType: string;
  size: number;
}

async function sendStream(deps: UploadDeps, url: string, plan: StreamPlan): Promise<unknown> {
  const boundary = `----stemhook${randomBytes(12).toString('hex')}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const preamble = Buffer.from(
    field('uploadPath', plan.uploadPath) +
      field('fileName', plan.fileName) +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escapeQuoted(plan.fileName)}"\r\n` +
      `Content-Type: ${plan.mimeType}\r\n\r\n`,
  );
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(new DOMException('upload stalled', 'TimeoutError')), deps.timeoutMs);
  };
  async function* body(): AsyncGenerator<Uint8Array> {
    yield preamble;
    let sent = 0;
    for await (const chunk of createReadStream(plan.path, {
      end: plan.size - 1,
      highWaterMark: 256 * 1024,
    })) {
      const bytes = chunk as Buffer;
      sent += bytes.length;
      touch();
      plan.onProgress?.(sent, plan.size);
      yield bytes;
    }
    yield epilogue;
  }
  touch();
  try {
    const contentLength = preamble.length + plan.size + epilogue.length;
    const stream = { body: body(), contentType: `multipart/form-data; boundary=${boundary}`, contentLength };
    return await sendKieRequest({ ...common(deps), url, stream, timeoutMs: null, signal: idle.signal });
  } finally {
    clearTimeout(timer);
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    if (info.size === 0) throw new Error('empty');
    return info.size;
  } catch {
    const name = basename(path);
    throw createValidationError([
      { field: 'path', message: `"${name}" is missing, empty or not a readable file.` },
    ]);
  }
}

function toResult(data: unknown, fileName: string, size: number): UploadResult {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const url = record.downloadUrl ?? record.fileUrl;
  if (typeof url !== 'string' || url === '') {
    throw new KieError({ code: 'bad_response', kieMessage: 'upload answer has no downloadUrl' });
  }
  return {
    downloadUrl: url,
    fileName: typeof record.fileName === 'string' ? record.fileName : fileName,
    fileSize: typeof record.fileSize === 'number' ? record.fileSize : size,
  };
}

function uniqueName(original: string): string {
  const ext = extname(original)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '');
  const stem =
    basename(original, extname(original))
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 60) || 'audio';
  return `${stem}-${randomBytes(4).toString('hex')}${ext}`;
}

/** Multipart header quoting as browsers do it: quotes and line breaks percent-encoded. */
function escapeQuoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
