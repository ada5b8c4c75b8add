// Makes small MP3 test files with lamejs (pure JS): sine, seeded noise or silence, mono or stereo,
// at a given duration, sample rate, level and bitrate. lamejs writes no Xing/LAME header.
import { writeFile } from 'node:fs/promises';
import { Mp3Encoder } from '@breezystack/lamejs';

export interface ToneOptions {
  kind?: 'sine' | 'noise' | 'silence';
  seconds?: number;
  /** lamejs accepts 8000-48000 (MPEG-1, -2 and -2.5 rates). */
  sampleRate?: number;
  channels?: 1 | 2;
  /** Linear peak amplitude, 0..1. */
  amplitude?: number;
  /** Left channel frequency; the right channel plays 1.5x this so the channels differ. */
  frequency?: number;
  kbps?: number;
  seed?: number;
}

export function dbToAmplitude(db: number): number {
  return 10 ** (db / 20);
}

function createNoise(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32: deterministic, so a failing test replays the same file.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state / 0xffffffff) * 2 - 1;
  };
}

function render(options: Required<ToneOptions>, channel: number): Int16Array {
  const frames = Math.round(options.seconds * options.sampleRate);
  const out = new Int16Array(frames);
  if (options.kind === 'silence') return out;
  const noise = createNoise(options.seed + channel * 7919);
  const frequency = options.frequency * (channel === 0 ? 1 : 1.5);
  for (let i = 0; i < frames; i++) {
    const x =
      options.kind === 'noise' ? noise() : Math.sin((2 * Math.PI * frequency * i) / options.sampleRate);
    out[i] = Math.round(x * options.amplitude * 32767);
  }
  return out;
}

export function encodeToneMp3(options: ToneOptions = {}): Uint8Array {
  const full: Required<ToneOptions> = {
    kind: 'sine',
    seconds: 5,
    sampleRate: 44100,
    channels: 2,
    amplitude: 0.5,
    frequency: 440,
    kbps: 128,
    seed: 1,
    ...options,
  };
  const encoder = new Mp3Encoder(full.channels, full.sampleRate, full.kbps);
  const left = render(full, 0);
  const right = full.channels === 2 ? render(full, 1) : null;
  const parts: Uint8Array[] = [];
  const block = 1152 * 8;
  for (let i = 0; i < left.length; i += block) {
    const l = left.subarray(i, i + block);
    parts.push(right ? encoder.encodeBuffer(l, right.subarray(i, i + block)) : encoder.encodeBuffer(l));
  }
  parts.push(encoder.flush());
  return concatBytes(...parts);
}

/** The parts one after another in one new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export async function writeToneMp3(path: string, options: ToneOptions = {}): Promise<string> {
  await writeFile(path, encodeToneMp3(options));
  return path;
}
