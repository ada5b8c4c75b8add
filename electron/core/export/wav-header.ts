// The RIFF/WAVE header our exports carry: plain PCM for 16-bit mono/stereo, WAVE_FORMAT_EXTENSIBLE
// for 24-bit, float and more than two channels (Microsoft's rule, as ffmpeg follows it), a `fact`
// chunk for float, and RF64 with a ds64 chunk once the file would pass RIFF's 4 GiB size field.

export type SampleFormat = 'pcm16' | 'pcm24' | 'float32';

export interface WavSpec {
  sampleFormat: SampleFormat;
  sampleRate: number;
  channels: number;
}

export const BYTES_PER: Record<SampleFormat, number> = { pcm16: 2, pcm24: 3, float32: 4 };
export const BITS_PER: Record<SampleFormat, number> = { pcm16: 16, pcm24: 24, float32: 32 };

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** RIFF's size fields are u32: past this a file must be RF64 (EBU Tech 3306). */
export const RIFF_LIMIT = 0xffffffff;
// KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the format code followed by the fixed GUID tail.
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const SPEAKER_MASKS: Record<number, number> = {
  1: 0x4,
  2: 0x3,
  3: 0x7,
  4: 0x33,
  5: 0x37,
  6: 0x3f,
  7: 0x13f,
  8: 0x63f,
};

export function isExtensible(spec: WavSpec): boolean {
  return spec.sampleFormat !== 'pcm16' || spec.channels > 2;
}

export interface HeaderOptions {
  /** Frames per channel in the data chunk. */
  frames: number;
  /** Tests lower this to exercise RF64 without writing 4 GiB. */
  riffLimit?: number;
}

export function dataBytesOf(spec: WavSpec, frames: number): number {
  return frames * spec.channels * BYTES_PER[spec.sampleFormat];
}

/** The complete header up to and including the data chunk's size field; audio bytes follow it. */
export function buildWavHeader(spec: WavSpec, options: HeaderOptions): Uint8Array {
  const extensible = isExtensible(spec);
  const isFloat = spec.sampleFormat === 'float32';
  const fmtBytes = extensible ? 40 : isFloat ? 18 : 16;
  const dataBytes = dataBytesOf(spec, options.frames);
  const pad = dataBytes % 2;
  const base = 12 + 8 + fmtBytes + (isFloat ? 12 : 0) + 8;
  const limit = options.riffLimit ?? RIFF_LIMIT;
  const isRf64 = base + dataBytes + pad - 8 > limit;
  const headerBytes = base + (isRf64 ? 36 : 0);
  const riffSize = headerBytes + dataBytes + pad - 8;
  const out = new Uint8Array(headerBytes);
  const view = new DataView(out.buffer);
  let o = 0;
  const tag = (text: string) => {
    for (let i = 0; i < 4; i++) out[o + i] = text.charCodeAt(i);
    o += 4;
  };
  const u16 = (v: number) => {
    view.setUint16(o, v, true);
    o += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(o, v, true);
    o += 4;
  };
  const u64 = (v: number) => {
    view.setBigUint64(o, BigInt(v), true);
    o += 8;
  };

  tag(isRf64 ? 'RF64' : 'RIFF');
  u32(isRf64 ? RIFF_LIMIT : riffSize);
  tag('WAVE');
  if (isRf64) {
    tag('ds64');
    u32(28);
    u64(riffSize);
    u64(dataBytes);
    u64(options.frames);
    u32(0);
  }
  const bytes = BYTES_PER[spec.sampleFormat];
  tag('fmt ');
  u32(fmtBytes);
  u16(extensible ? WAVE_FORMAT_EXTENSIBLE : isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM);
  u16(spec.channels);
  u32(spec.sampleRate);
  u32(spec.sampleRate * spec.channels * bytes);
  u16(spec.channels * bytes);
  u16(BITS_PER[spec.sampleFormat]);
  if (extensible) {
    u16(22);
    u16(BITS_PER[spec.sampleFormat]);
    u32(SPEAKER_MASKS[spec.channels] ?? 0);
    u16(isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM);
    out.set(GUID_TAIL, o);
    o += GUID_TAIL.length;
  } else if (isFloat) {
    u16(0);
  }
  if (isFloat) {
    tag('fact');
    u32(4);
    u32(isRf64 ? RIFF_LIMIT : Math.min(options.frames, RIFF_LIMIT));
  }
  tag('data');
  u32(isRf64 ? RIFF_LIMIT : dataBytes);
  return out;
}
