// Converts samples in the PCM cache's 24-bit integer scale (exact integers, or fractional values
// after resampling or mixing) into the bytes of an export format.
import { createTpdfDither } from './dither.ts';
import { BYTES_PER, type SampleFormat } from './wav-header.ts';

export interface SampleEncoder {
  /** Encodes `count` interleaved samples; the returned view is reused by the next call. */
  encode(values: ArrayLike<number>, count: number): Uint8Array;
}

const S24_MAX = 8388607;
const S24_MIN = -8388608;
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function createSampleEncoder(format: SampleFormat, ditherSeed = 1): SampleEncoder {
  let bytes = new Uint8Array(0);
  let ints = new Int16Array(0);
  const dither = createTpdfDither(ditherSeed);
  const ensure = (count: number) => {
    if (bytes.length < count * BYTES_PER[format]) bytes = new Uint8Array(count * BYTES_PER[format] * 2);
    if (format === 'pcm16' && ints.length < count) ints = new Int16Array(count * 2);
  };
  return {
    encode(values, count) {
      ensure(count);
      if (format === 'pcm24') {
        for (let i = 0, o = 0; i < count; i++, o += 3) {
          // Round half up and clamp, as quantizeS24 does for the cache itself.
          let v = Math.floor((values[i] as number) + 0.5);
          v = v > S24_MAX ? S24_MAX : v < S24_MIN ? S24_MIN : v;
          bytes[o] = v & 0xff;
          bytes[o + 1] = (v >> 8) & 0xff;
          bytes[o + 2] = (v >> 16) & 0xff;
        }
      } else if (format === 'float32') {
        const view = new DataView(bytes.buffer);
        const floats = isLittleEndian ? new Float32Array(bytes.buffer, 0, count) : null;
        for (let i = 0; i < count; i++) {
          const x = (values[i] as number) / 8388608;
          if (floats) floats[i] = x;
          else view.setFloat32(i * 4, x, true);
        }
      } else {
        dither.process(values, count, ints);
        const view = new DataView(bytes.buffer);
        for (let i = 0; i < count; i++) view.setInt16(i * 2, ints[i] as number, true);
      }
      return bytes.subarray(0, count * BYTES_PER[format]);
    },
  };
}
