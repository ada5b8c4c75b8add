// The A/B reference for tasks made from a file: the source has no PCM cache or stored peaks, so it
// is decoded once in the renderer (one file, on demand) into an int16 lane and its own peaks.
import { fetchAudioBytes, taskSourceUrl } from '../api/audio-url.ts';
import { interleaveInt16, peaksFromChannels } from './peaks-math.ts';

export interface DecodedSource {
  pcm: Int16Array;
  channels: number;
  frames: number;
  sampleRate: number;
  duration: number;
  peaks: number[][];
}

const PEAK_COUNT = 4000;

export async function decodeSourceFile(context: BaseAudioContext, taskId: string): Promise<DecodedSource> {
  const bytes = await fetchAudioBytes(taskSourceUrl(taskId));
  const buffer = await context.decodeAudioData(bytes);
  const channels = Array.from({ length: Math.min(2, buffer.numberOfChannels) }, (_, c) =>
    buffer.getChannelData(c),
  );
  return {
    pcm: interleaveInt16(channels),
    channels: channels.length,
    frames: buffer.length,
    sampleRate: buffer.sampleRate,
    duration: buffer.duration,
    peaks: peaksFromChannels(channels, Math.min(PEAK_COUNT, buffer.length)),
  };
}
