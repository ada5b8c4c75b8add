// 16-bit PCM WAV encoding of synthetic stereo audio (the result of a WAV conversion task).
import { SAMPLE_RATE, type StereoBuffer } from './synth-dsp.ts';

export function encodeWav(pcm: StereoBuffer): Uint8Array {
  const frames = pcm.left.length;
  const dataBytes = frames * 4;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(2, 22);
  out.writeUInt32LE(SAMPLE_RATE, 24);
  out.writeUInt32LE(SAMPLE_RATE * 4, 28);
  out.writeUInt16LE(4, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < frames; i++) {
    const l = Math.max(-1, Math.min(1, pcm.left[i] ?? 0));
    const r = Math.max(-1, Math.min(1, pcm.right[i] ?? 0));
    out.writeInt16LE(Math.round(l * 32767), 44 + i * 4);
    out.writeInt16LE(Math.round(r * 32767), 46 + i * 4);
  }
  return out;
}
