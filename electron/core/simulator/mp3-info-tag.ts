// Prepends a LAME "Info" frame (CBR Xing header + LAME extension) so decoders trim encoder delay and padding
// exactly, as they do for real service files; lamejs itself writes no such header.

const BITRATES_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const SAMPLE_RATES = [44100, 48000, 32000];
const FRAME_SAMPLES = 1152;
/** LAME's own encoder delay; decoders add their 529-sample decoder delay on top. */
const ENCODER_DELAY = 576;

interface FrameHeader {
  bytes: number[];
  length: number;
  kbps: number;
  isMono: boolean;
}

function readHeader(data: Uint8Array, at: number): FrameHeader | null {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = data.subarray(at, at + 4);
  // MPEG-1 Layer III only: that is all lamejs produces at 44.1 kHz.
  if (b0 !== 0xff || (b1 & 0xfe) !== 0xfa) return null;
  const kbps = BITRATES_KBPS[b2 >> 4] ?? 0;
  const rate = SAMPLE_RATES[(b2 >> 2) & 3];
  if (!kbps || !rate) return null;
  const length = Math.floor((144000 * kbps) / rate) + ((b2 >> 1) & 1);
  return { bytes: [b0, b1, b2, b3], length, kbps, isMono: b3 >> 6 === 3 };
}

function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

function countFrames(data: Uint8Array): { first: FrameHeader; frames: number } | null {
  const first = readHeader(data, 0);
  if (!first) return null;
  let frames = 0;
  for (let at = 0; at < data.length; frames++) {
    const header = readHeader(data, at);
    if (!header) break;
    at += header.length;
  }
  return { first, frames };
}

export function withInfoTag(audio: Uint8Array, sampleCount: number): Uint8Array {
  const counted = countFrames(audio);
  if (!counted) return audio;
  const { first, frames } = counted;
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = first.bytes;
  const tagLength = first.length - ((b2 >> 1) & 1);
  const frame = new Uint8Array(tagLength);
  const view = new DataView(frame.buffer);
  frame.set([b0, b1, b2 & ~0x02, b3]);
  let at = 4 + (first.isMono ? 17 : 32);
  frame.set(new TextEncoder().encode('Info'), at);
  view.setUint32(at + 4, 0x0f);
  view.setUint32(at + 8, frames);
  view.setUint32(at + 12, tagLength + audio.length);
  for (let i = 0; i < 100; i++) frame[at + 16 + i] = Math.floor((i * 256) / 100);
  view.setUint32(at + 116, 0);
  at += 120;
  frame.set(new TextEncoder().encode('LAME3.100'), at);
  frame[at + 9] = 0x01;
  frame[at + 10] = 170;
  frame[at + 20] = Math.min(255, first.kbps);
  const padding = Math.max(0, Math.min(4095, frames * FRAME_SAMPLES - ENCODER_DELAY - sampleCount));
  frame[at + 21] = ENCODER_DELAY >> 4;
  frame[at + 22] = ((ENCODER_DELAY & 0x0f) << 4) | (padding >> 8);
  frame[at + 23] = padding & 0xff;
  view.setUint32(at + 28, tagLength + audio.length);
  view.setUint16(at + 32, crc16(audio));
  view.setUint16(at + 34, crc16(frame.subarray(0, at + 34)));
  const out = new Uint8Array(tagLength + audio.length);
  out.set(frame);
  out.set(audio, tagLength);
  return out;
}
