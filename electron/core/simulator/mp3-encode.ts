// MP3 encoding of synthetic stereo PCM with lamejs, in slices that yield to the event loop so the host stays responsive.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Mp3Encoder } from '@breezystack/lamejs';
import { SAMPLE_RATE, type StereoBuffer } from './synth-dsp.ts';
import { withInfoTag } from './mp3-info-tag.ts';

const KBPS = 160;
const SLICE_FRAMES = 1152 * 48;

function toInt16(src: Float32Array, from: number, to: number): Int16Array {
  const out = new Int16Array(to - from);
  for (let i = from; i < to; i++) {
    const v = Math.max(-1, Math.min(1, src[i] ?? 0));
    out[i - from] = Math.round(v * 32767);
  }
  return out;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export async function encodeMp3(pcm: StereoBuffer, signal?: AbortSignal): Promise<Uint8Array> {
  const encoder = new Mp3Encoder(2, SAMPLE_RATE, KBPS);
  const parts: Uint8Array[] = [];
  const frames = pcm.left.length;
  for (let at = 0; at < frames; at += SLICE_FRAMES) {
    const end = Math.min(frames, at + SLICE_FRAMES);
    parts.push(bytesOf(encoder.encodeBuffer(toInt16(pcm.left, at, end), toInt16(pcm.right, at, end))));
    await yieldToLoop();
    signal?.throwIfAborted();
  }
  parts.push(bytesOf(encoder.flush()));
  return withInfoTag(Buffer.concat(parts), frames);
}
