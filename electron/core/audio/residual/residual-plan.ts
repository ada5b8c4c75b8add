// The residual's first step, once per split before the parts: checks the caches (same rate and
// channels, present, as long as recorded) and the free space, finds how far the stems sit from the source (align.ts)
// and creates the empty output every part writes its frames into.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { diskFullProblem } from '../../disk-space.ts';
import { IngestError } from '../errors.ts';
import { partPaths } from '../output-paths.ts';
import { findOffset, type Alignment } from './align.ts';
import { closePcms, openInputs, readFrames, type OpenPcm } from './pcm-reader.ts';
import { threadCpuMs } from './thread-cpu.ts';
import type { ResidualInput, ResidualPlan } from './types.ts';

/** Window correlated to find the offset: about 0.4 s at 44.1 kHz, tried at three places. */
const ALIGN_FRAMES = 16384;
/** The farthest offset searched, in seconds: encoder delay is ~25 ms, a trimmed upload can be more. */
const MAX_LAG_SECONDS = 0.25;
const SCALE = 8388608;
const BYTES_PER_SAMPLE = 3;

function monoWindow(files: OpenPcm[], start: number, frames: number, channels: number): Float32Array {
  const mono = new Float32Array(frames);
  const scratch = new Int32Array(frames * channels);
  for (const file of files) {
    readFrames(file, start, frames, channels, scratch);
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += scratch[f * channels + c]!;
      mono[f]! += sum / SCALE;
    }
  }
  return mono;
}

/** The best of three windows (a quiet intro or a break can fool a single one). */
function align(source: OpenPcm, stems: OpenPcm[], channels: number, sampleRate: number): Alignment {
  const maxLag = Math.round(MAX_LAG_SECONDS * sampleRate);
  const windowFrames = Math.min(ALIGN_FRAMES, source.sampleCount - 2 * maxLag);
  if (windowFrames < 1024) return { offsetFrames: 0, confidence: 0 };
  let best: Alignment = { offsetFrames: 0, confidence: -Infinity };
  for (const at of [0.25, 0.5, 0.75]) {
    const start = Math.round((source.sampleCount - windowFrames) * at);
    const found = findOffset(
      monoWindow([source], start, windowFrames, channels),
      monoWindow(stems, start - maxLag, windowFrames + 2 * maxLag, channels),
      maxLag,
    );
    if (found.confidence > best.confidence) best = found;
  }
  return best;
}

function checkFormats(input: ResidualInput): { channels: number; sampleRate: number } {
  const first = input.stems[0];
  if (!first) throw new IngestError('not_audio', 'A residual needs at least one stem.');
  const { channels, sampleRate } = first;
  for (const stem of input.stems)
    if (stem.sampleRate !== sampleRate || stem.channels !== channels)
      throw new IngestError('not_audio', 'The stems of this split differ in sample rate or channels.');
  if (input.source.sampleRate !== sampleRate)
    throw new IngestError(
      'not_audio',
      `The source is at ${input.source.sampleRate} Hz and the stems at ${sampleRate} Hz: the residual needs one rate. Convert the source to ${sampleRate} Hz and split it again.`,
    );
  return { channels, sampleRate };
}

/** Refuses up front when the disk cannot hold the residual's cache and peaks. */
async function checkSpace(pcmPart: string, frames: number, channels: number): Promise<void> {
  // The peaks are under 1% of the cache (4 levels of 4 bytes per 256 frames and channel).
  const bytes = Math.ceil(frames * channels * BYTES_PER_SAMPLE * 1.01);
  const problem = await diskFullProblem(dirname(pcmPart), bytes, 'the residual');
  if (problem)
    throw new IngestError('disk_full', `${problem} Free some space, then open the residual again.`);
}

export async function planResidual(input: ResidualInput): Promise<ResidualPlan> {
  const cpuAtStart = process.threadCpuUsage();
  const { channels, sampleRate } = checkFormats(input);
  const frames = Math.max(...input.stems.map((stem) => stem.sampleCount));
  const [pcmPart = ''] = partPaths(input.outBase);
  mkdirSync(dirname(pcmPart), { recursive: true });
  await checkSpace(pcmPart, frames, channels);
  const { source, stems } = openInputs(input);
  try {
    const { offsetFrames, confidence } = align(source, stems, channels, sampleRate);
    // Empty and ours: every part writes its frames at their place in it.
    closeSync(openSync(pcmPart, 'w'));
    return {
      input,
      channels,
      sampleRate,
      offsetFrames,
      confidence,
      frames,
      cpuMs: threadCpuMs(cpuAtStart),
    };
  } finally {
    closePcms([source, ...stems]);
  }
}
