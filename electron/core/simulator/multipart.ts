// A small multipart/form-data parser for the stream-upload route (whole body in memory, which is fine for tests).

interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

export class MultipartError extends Error {
  code: string;
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
    this.code = 'bad_multipart';
  }
}

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function dispositionParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const m of header.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    const key = (m[1] ?? '').toLowerCase();
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
    params.set(key, value);
  }
  const extended = params.get('filename*');
  if (extended) {
    const encoded = /^[^']*'[^']*'(.*)$/.exec(extended)?.[1];
    if (encoded) params.set('filename', decodeURIComponent(encoded));
  }
  return params;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('boundary not found');
  const parts: MultipartPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new MultipartError('malformed delimiter line');
    const headerEnd = body.indexOf('\r\n\r\n', pos + 2);
    if (headerEnd < 0) throw new MultipartError('part headers not terminated');
    const headers = parseHeaders(body.subarray(pos + 2, headerEnd).toString('utf8'));
    const next = body.indexOf(separator, headerEnd + 4);
    if (next < 0) throw new MultipartError('closing boundary not found');
    const params = dispositionParams(headers.get('content-disposition') ?? '');
    parts.push({
      name: params.get('name') ?? '',
      filename: params.get('filename') ?? null,
      contentType: headers.get('content-type') ?? null,
      data: body.subarray(headerEnd + 4, next),
    });
    pos = next + 2;
  }
}
