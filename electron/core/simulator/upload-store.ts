// Stores an uploaded file on the upload listener and builds the upload host's reply envelope (kie-api.md §8).
import type { SimContext } from './context.ts';
import { sniffContentType } from './file-store.ts';
import { hashSeed } from './ids.ts';

export interface UploadEnvelope {
  success: boolean;
  code: number;
  msg: string;
  data: unknown;
}

export function uploadError(code: number, msg: string): UploadEnvelope {
  return { success: false, code, msg, data: null };
}

const EXTENSIONS: Record<string, string> = {
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'audio/flac': '.flac',
  'audio/ogg': '.ogg',
};

function isBadSegment(segment: string): boolean {
  return segment === '' || segment === '.' || segment === '..' || segment.includes('\\');
}

interface UploadInput {
  bytes: Buffer;
  uploadPath: string | null;
  fileName: string | null;
  /** File name and type the client declared (multipart part or data: URI), used when fileName is absent. */
  hintName: string | null;
  hintType: string | null;
}

export function storeUpload(ctx: SimContext, input: UploadInput): UploadEnvelope {
  if (!input.uploadPath) return uploadError(400, 'Missing required parameter: uploadPath');
  const segments = input.uploadPath.replace(/^\/+|\/+$/g, '').split('/');
  if (segments.some(isBadSegment)) return uploadError(400, 'Invalid parameter: uploadPath');
  if (input.fileName !== null && (isBadSegment(input.fileName) || input.fileName.includes('/'))) {
    return uploadError(400, 'Invalid parameter: fileName');
  }
  const sniffed = sniffContentType(input.bytes, input.fileName ?? input.hintName ?? '');
  const mimeType = sniffed === 'application/octet-stream' && input.hintType ? input.hintType : sniffed;
  const hintExt = /\.[A-Za-z0-9]{1,5}$/.exec(input.hintName ?? '')?.[0];
  const fileName = input.fileName ?? `${ctx.ids.uuid()}${EXTENSIONS[mimeType] ?? hintExt ?? '.bin'}`;
  const account = 100000 + (hashSeed('account', ctx.options().seed) % 900000);
  const path = `/files/kieai/${account}/${[...segments, fileName].map(encodeURIComponent).join('/')}`;
  const bytes = new Uint8Array(input.bytes);
  ctx.uploadFiles.put(path, {
    contentType: mimeType,
    expiresAt: Date.now() + ctx.options().uploadRetentionMs,
    load: async () => bytes,
    audioSeed: hashSeed('upload', path, bytes.length),
    durationSec: null,
  });
  return {
    success: true,
    code: 200,
    msg: 'File uploaded successfully',
    data: {
      fileName,
      filePath: `${segments.join('/')}/${fileName}`,
      downloadUrl: `${ctx.urls.upload}${path}`,
      fileSize: bytes.length,
      mimeType,
      uploadedAt: new Date().toISOString(),
    },
  };
}

/** Accepts raw base64 or a `data:<mime>;base64,` URI; null when the text is not valid base64. */
export function decodeBase64Data(text: string): { bytes: Buffer; mimeType: string | null } | null {
  const uri = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(text);
  if (uri && !/;base64/i.test(uri[2] ?? '')) return null;
  const payload = (uri ? (uri[3] ?? '') : text).replace(/\s+/g, '');
  if (payload === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 === 1) return null;
  return { bytes: Buffer.from(payload, 'base64'), mimeType: uri?.[1] || null };
}
