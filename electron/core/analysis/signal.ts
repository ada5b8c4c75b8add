// The analysers' input: one mono signal near 22 kHz (enough for onsets and pitch), built either from
// float channels or streamed from an s24le PCM cache file without holding the full-rate audio.
import { open } from 'node:fs/promises';
import { BYTES_PER_SAMPLE, S24_SCALE, decodeS24le } from '../audio/pcm-cache.ts';

export interface AnalysisSignal {
  samples: Float32Array;
  sampleRate: number;
}

const TARGET_RATE = 22050;
const READ_FRAMES = 65536;

/** Averages every `factor` frames of all channels into one sample: a boxcar low-pass, then decimation. */
function createDownmixer(channels: number, sampleRate: number, totalFrames: number) {
  const factor = Math.max(1, Math.round(sampleRate / TARGET_RATE));
  const samples = new Float32Array(Math.floor(totalFrames / factor));
  const scale = 1 / (factor * channels);
  let sum = 0;
  let inBlock = 0;
  let written = 0;
  /** Counts a frame whose channels are summed in; every `factor` frames make one sample. */
  const endFrame = () => {
    if (++inBlock < factor) return;
    if (written < samples.length) samples[written++] = sum * scale;
    sum = 0;
    inBlock = 0;
  };
  return {
    push(value: number, isFrameEnd: boolean): void {
      sum += value;
      if (isFrameEnd) endFrame();
    },
    /** `push` for every sample of interleaved s24 `values`, each divided by `divisor` (one loop, no
     * call per sample: the PCM cache of a 4-minute stem is 21 million samples). */
    pushAll(values: Int32Array, divisor: number): void {
      for (let i = 0; i < values.length;) {
        for (let c = 0; c < channels; c++) sum += (values[i++] as number) / divisor;
        endFrame();
      }
    },
    finish: (): AnalysisSignal => ({
      samples: samples.subarray(0, written),
      sampleRate: sampleRate / factor,
    }),
  };
}

export function signalFromChannels(channels: Float32Array[], sampleRate: number): AnalysisSignal {
  const frames = Math.min(...channels.map((c) => c.length));
  const mixer = createDownmixer(channels.length, sampleRate, frames);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels.length; c++)
      mixer.push((channels[c] as Float32Array)[i] as number, c === channels.length - 1);
  }
  return mixer.finish();
}

export async function signalFromPcmCache(
  pcmPath: string,
  channels: number,
  sampleRate: number,
): Promise<AnalysisSignal> {
  const handle = await open(pcmPath, 'r');
  try {
    const frameBytes = channels * BYTES_PER_SAMPLE;
    const totalFrames = Math.floor((await handle.stat()).size / frameBytes);
    const mixer = createDownmixer(channels, sampleRate, totalFrames);
    const buffer = new Uint8Array(READ_FRAMES * frameBytes);
    for (let position = 0; position < totalFrames * frameBytes;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      const usable = bytesRead - (bytesRead % frameBytes);
      mixer.pushAll(decodeS24le(buffer.subarray(0, usable)), S24_SCALE);
      position += usable;
    }
    return mixer.finish();
  } finally {
    await handle.close();
  }
}
