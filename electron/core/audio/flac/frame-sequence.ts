// Whether each frame continues the stream: frame numbers (fixed blocking) or sample numbers
// (variable blocking) must follow on from the first frame's, the blocking strategy must not change,
// and the frames must not run past the length STREAMINFO announced. A gap means a frame was lost
// (a damaged copy), which would shift everything after it against the producer's stems.
import { IngestError } from '../errors.ts';
import type { FrameHeader } from './frame-header.ts';

export interface FrameSequence {
  /** Throws when `header` does not follow the frames accepted so far (`samples` frames per channel). */
  accept(header: FrameHeader, samples: number): void;
}

/** `totalSamples`: STREAMINFO's length, 0 when unknown. */
export function createFrameSequence(totalSamples: number): FrameSequence {
  let first: { number: number; isVariableBlocking: boolean } | null = null;
  let frames = 0;
  return {
    accept(header, samples) {
      first ??= { number: header.number, isVariableBlocking: header.isVariableBlocking };
      const expected = first.isVariableBlocking ? first.number + samples : first.number + frames;
      if (header.isVariableBlocking !== first.isVariableBlocking || header.number !== expected)
        throw new IngestError('not_audio', 'the FLAC file is damaged (a frame is missing or out of order)');
      if (totalSamples > 0 && samples + header.blockSize > totalSamples)
        throw new IngestError(
          'not_audio',
          'the FLAC file holds more audio than its header says (the file is damaged)',
        );
      frames++;
    },
  };
}
