// MPEG audio frame headers: parsing one, finding the first real frame after ID3v2 tags, and reading
// the frame count a Xing/Info or VBRI header promises (used to detect truncated files).

export interface FrameHeader {
  /** 1 for MPEG-1, 2 for MPEG-2, 2.5 for MPEG-2.5. */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  sampleRate: number;
  channels: 1 | 2;
  frameLength: number;
  samplesPerFrame: number;
}

export interface FirstFrame {
  offset: number;
  header: FrameHeader;
  /**
   * Frames (counting the tag frame itself) a Xing/Info or VBRI header says the stream has. Xing counts
   * audio frames only, so its tag frame is added; VBRI's convention varies, so it is taken as is.
   */
  minFrames: number | null;
}

const KBPS: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;
const VERSIONS = [2.5, null, 2, 1] as const;
const LAYERS = [null, 3, 2, 1] as const;

/** Free-format streams (bitrate index 0) have no computable frame length and are rejected here. */
export function parseFrameHeader(b0: number, b1: number, b2: number, b3: number): FrameHeader | null {
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = VERSIONS[(b1 >> 3) & 3];
  const layer = LAYERS[(b1 >> 1) & 3];
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (!version || !layer || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  if ((b3 & 3) === 2) return null;
  const table = KBPS[`${version === 1 ? 1 : 2}-${version === 1 ? layer : Math.min(layer, 2)}`];
  const bitrate = (table?.[bitrateIndex] ?? 0) * 1000;
  const sampleRate = RATES[version][rateIndex] ?? 0;
  const padding = (b2 >> 1) & 1;
  let frameLength: number;
  let samplesPerFrame: number;
  if (layer === 1) {
    frameLength = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
    samplesPerFrame = 384;
  } else if (layer === 2 || version === 1) {
    frameLength = Math.floor((144 * bitrate) / sampleRate) + padding;
    samplesPerFrame = 1152;
  } else {
    frameLength = Math.floor((72 * bitrate) / sampleRate) + padding;
    samplesPerFrame = 576;
  }
  return { version, layer, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, frameLength, samplesPerFrame };
}

export function isSameStream(a: FrameHeader, b: FrameHeader): boolean {
  return a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate;
}

export function headerAt(bytes: Uint8Array, at: number): FrameHeader | null {
  if (at < 0 || at + 4 > bytes.length) return null;
  return parseFrameHeader(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

/** Reads up to `length` bytes at `position` (fewer at end of file). */
export type ReadAt = (position: number, length: number) => Uint8Array;

const SCAN_WINDOW = 64 * 1024;
const MAX_FRAME = 8 * 1024;

/** Where the audio may start: the offset just past any ID3v2 tags (as far as `readAt` can see). */
export function skipId3Tags(readAt: ReadAt): number {
  let start = 0;
  for (;;) {
    const tag = readAt(start, 10);
    if (tag.length < 10 || tag[0] !== 0x49 || tag[1] !== 0x44 || tag[2] !== 0x33) return start;
    const size = ((tag[6] ?? 0) << 21) | ((tag[7] ?? 0) << 14) | ((tag[8] ?? 0) << 7) | (tag[9] ?? 0);
    start += 10 + size + ((tag[5] ?? 0) & 0x10 ? 10 : 0);
  }
}

/**
 * How many bytes of a growing file findFirstFrame needs before its answer cannot change: every tag
 * header, then the whole scan window after the tags. Null until the tags themselves are complete.
 */
export function firstFrameBytesNeeded(readAt: ReadAt, available: number): number | null {
  const start = skipId3Tags(readAt);
  // Fewer than 10 bytes after the tags may still be the start of another tag.
  if (available < start + 10) return null;
  return start + SCAN_WINDOW + MAX_FRAME;
}

/**
 * Skips ID3v2 tags, then takes the first sync whose successor is also a frame of the same stream
 * (or lies past end of file), so stray 0xFFE bytes in junk or text are not mistaken for audio.
 */
export function findFirstFrame(readAt: ReadAt, fileSize: number): FirstFrame | null {
  const start = skipId3Tags(readAt);
  const window = readAt(start, SCAN_WINDOW + MAX_FRAME);
  const scanEnd = Math.min(window.length - 3, SCAN_WINDOW);
  for (let i = 0; i < scanEnd; i++) {
    if (window[i] !== 0xff) continue;
    const header = headerAt(window, i);
    if (!header) continue;
    const next = i + header.frameLength;
    const nextHeader = headerAt(window, next);
    const isConfirmed = nextHeader ? isSameStream(header, nextHeader) : start + next + 4 > fileSize;
    if (isConfirmed) return { offset: start + i, header, minFrames: readMinFrames(window, i, header) };
  }
  return null;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] ?? 0) << 24) |
      ((bytes[at + 1] ?? 0) << 16) |
      ((bytes[at + 2] ?? 0) << 8) |
      (bytes[at + 3] ?? 0)) >>>
    0
  );
}

function tagAt(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function readMinFrames(bytes: Uint8Array, frame: number, header: FrameHeader): number | null {
  if (header.layer !== 3) return null;
  const sideInfo = header.version === 1 ? (header.channels === 1 ? 17 : 32) : header.channels === 1 ? 9 : 17;
  const xing = frame + 4 + sideInfo;
  const xingTag = tagAt(bytes, xing);
  if ((xingTag === 'Xing' || xingTag === 'Info') && readU32(bytes, xing + 4) & 1)
    return readU32(bytes, xing + 8) + 1;
  if (tagAt(bytes, frame + 36) === 'VBRI') return readU32(bytes, frame + 36 + 14);
  return null;
}
