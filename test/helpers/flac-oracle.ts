// FLAC test files made by ffmpeg and sox from generated signals, and ffmpeg's own decode of them
// as the bit-exact oracle for the app's decoder (ffmpeg is a test tool only; the app never runs it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';
export const SOX = '/usr/bin/sox';

export function hasFlacTools(): boolean {
  return existsSync(FFMPEG) && existsSync(FFPROBE);
}

export type SignalKind = 'noise' | 'sine' | 'silence' | 'panned' | 'coarse';

export interface SignalOptions {
  kind: SignalKind;
  frames: number;
  channels: number;
  bits: 16 | 24;
  seed?: number;
}

/**
 * Interleaved integer samples at `bits` depth: seeded noise, sines, digital silence, a hard-panned
 * mix (left loud, right a quiet echo: side and mid differ, so every decorrelation mode pays off
 * somewhere), or a sine with its low 4 bits zero (so FLAC's wasted-bits path is used).
 */
export function makeSignal(options: SignalOptions): Int32Array {
  const { kind, frames, channels, bits } = options;
  const full = 2 ** (bits - 1) - 1;
  let state = (options.seed ?? 7) >>> 0 || 1;
  const noise = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state / 0xffffffff) * 2 - 1;
  };
  const out = new Int32Array(frames * channels);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) {
      let x = 0;
      if (kind === 'noise') x = noise() * 0.9;
      else if (kind === 'sine') x = 0.7 * Math.sin((2 * Math.PI * (220 + 110 * c) * f) / 44100);
      else if (kind === 'panned') {
        const dry = 0.6 * Math.sin((2 * Math.PI * 330 * f) / 44100) + 0.2 * noise();
        x = c === 0 ? dry : c === 1 ? 0.01 * dry : 0.3 * dry;
      } else if (kind === 'coarse') x = 0.5 * Math.sin((2 * Math.PI * 500 * f) / 44100);
      let v = Math.max(-full - 1, Math.min(full, Math.round(x * full)));
      if (kind === 'coarse') v -= v % 16;
      out[f * channels + c] = v;
    }
  }
  return out;
}

/** The signal as raw little-endian bytes ffmpeg reads with -f s16le or s32le (24-bit values << 8). */
export function rawBytes(samples: Int32Array, bits: 16 | 24): Buffer {
  if (bits === 16) return Buffer.from(Int16Array.from(samples).buffer);
  return Buffer.from(Int32Array.from(samples, (v) => v * 256).buffer);
}

export interface FlacMake {
  path: string;
  samples: Int32Array;
  sampleRate: number;
  channels: number;
  bits: 16 | 24;
  encoderArgs: string[];
}

/** Encodes a generated signal with ffmpeg's FLAC encoder; `encoderArgs` pick modes and levels. */
export function encodeWithFfmpeg(
  path: string,
  signal: SignalOptions & { sampleRate: number },
  encoderArgs: string[],
): FlacMake {
  const samples = makeSignal(signal);
  const input = ['-f', signal.bits === 16 ? 's16le' : 's32le', '-ar', String(signal.sampleRate)];
  const depth =
    signal.bits === 16 ? ['-sample_fmt', 's16'] : ['-sample_fmt', 's32', '-bits_per_raw_sample', '24'];
  const made = spawnSync(
    FFMPEG,
    [
      '-v',
      'error',
      '-y',
      ...input,
      '-ac',
      String(signal.channels),
      '-i',
      '-',
      '-c:a',
      'flac',
      ...depth,
      ...encoderArgs,
      path,
    ],
    { input: rawBytes(samples, signal.bits), maxBuffer: 64 * 1024 * 1024 },
  );
  if (made.status !== 0) throw new Error(`ffmpeg could not encode ${path}: ${made.stderr.toString()}`);
  return {
    path,
    samples,
    sampleRate: signal.sampleRate,
    channels: signal.channels,
    bits: signal.bits,
    encoderArgs,
  };
}

/** Encodes with sox (libFLAC), a second encoder family with its own choices. */
export function encodeWithSox(
  path: string,
  signal: SignalOptions & { sampleRate: number },
  level: number,
): FlacMake {
  const samples = makeSignal(signal);
  const made = spawnSync(
    SOX,
    [
      '-t',
      'raw',
      '-e',
      'signed-integer',
      '-b',
      signal.bits === 16 ? '16' : '32',
      '-L',
      '-r',
      String(signal.sampleRate),
      '-c',
      String(signal.channels),
      '-',
      '-b',
      String(signal.bits),
      '-C',
      String(level),
      path,
    ],
    { input: rawBytes(samples, signal.bits), maxBuffer: 64 * 1024 * 1024 },
  );
  if (made.status !== 0) throw new Error(`sox could not encode ${path}: ${made.stderr.toString()}`);
  return {
    path,
    samples,
    sampleRate: signal.sampleRate,
    channels: signal.channels,
    bits: signal.bits,
    encoderArgs: [],
  };
}

/** ffmpeg's own decode of a FLAC file as interleaved s24le bytes (the PCM cache's format). */
export function ffmpegS24(path: string): Buffer {
  const decoded = spawnSync(FFMPEG, ['-v', 'error', '-i', path, '-f', 's24le', '-c:a', 'pcm_s24le', '-'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  if (decoded.status !== 0) throw new Error(`ffmpeg could not decode ${path}: ${decoded.stderr.toString()}`);
  // ffmpeg can exit 0 having decoded nothing ("Output file is empty"): an empty oracle would make
  // any comparison with an empty cache pass.
  if (decoded.stdout.length === 0) throw new Error(`ffmpeg decoded nothing from ${path}`);
  return decoded.stdout;
}

export interface ProbedStream {
  codec: string;
  sampleRate: number;
  channels: number;
  bits: number;
  frames: number;
}

/** What ffprobe says the file holds, so a test knows ffmpeg encoded what it asked for. */
export function probe(path: string): ProbedStream {
  const probed = spawnSync(FFPROBE, [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_name,sample_rate,channels,bits_per_raw_sample,duration_ts',
    '-of',
    'json',
    path,
  ]);
  const stream = JSON.parse(probed.stdout.toString()).streams[0];
  return {
    codec: stream.codec_name,
    sampleRate: Number(stream.sample_rate),
    channels: Number(stream.channels),
    bits: Number(stream.bits_per_raw_sample),
    frames: Number(stream.duration_ts),
  };
}

/** Interleaved integer samples as the PCM cache holds them (24-bit scale, s24le). */
export function toS24le(samples: Int32Array, bits: number): Buffer {
  const out = Buffer.alloc(samples.length * 3);
  const shift = 24 - bits;
  for (let i = 0; i < samples.length; i++) out.writeIntLE((samples[i] ?? 0) * 2 ** shift, i * 3, 3);
  return out;
}
