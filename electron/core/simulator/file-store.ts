// Files a listener serves under /files/..., each with a content type, an expiry and a lazy byte source.

export interface StoredFile {
  contentType: string;
  expiresAt: number;
  load(): Promise<Uint8Array>;
  /** Seed of the synthetic take behind the file, so a separation of it yields matching stems. */
  audioSeed: number | null;
  durationSec: number | null;
}

export interface FileStore {
  put(path: string, file: StoredFile): void;
  /** The live file at a path; expired files are dropped and read as missing. */
  get(path: string): StoredFile | null;
  expireAll(): void;
  /** How many files it holds (expired ones may still count until read). */
  count(): number;
}

export function createFileStore(now: () => number = Date.now): FileStore {
  const files = new Map<string, StoredFile>();
  return {
    put: (path, file) => void files.set(path, file),
    get: (path) => {
      const file = files.get(path);
      if (!file) return null;
      if (now() >= file.expiresAt) {
        files.delete(path);
        return null;
      }
      return file;
    },
    expireAll: () => files.clear(),
    count: () => files.size,
  };
}

function contentTypeFor(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const types: Record<string, string> = {
    mp3: 'audio/mpeg',
    wav: 'audio/wav',
    flac: 'audio/flac',
    ogg: 'audio/ogg',
    m4a: 'audio/mp4',
    aac: 'audio/aac',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    txt: 'text/plain',
    json: 'application/json',
  };
  return types[ext] ?? 'application/octet-stream';
}

/** MIME type from magic bytes, falling back to the file name (the upload host "auto-detects" it). */
export function sniffContentType(bytes: Uint8Array, name: string): string {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  return contentTypeFor(name);
}
