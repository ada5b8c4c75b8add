// One decode job (an MP3 download, an MP3 still arriving through a MessagePort, or a KIE WAV
// conversion) run to its PCM cache and peaks: the same function in a worker thread and, when
// workers cannot start, in the main process.
import { ingestFile } from './ingest.ts';
import { ingestMp3Stream } from './ingest-stream.ts';
import type { DecodeJob, IngestResult } from './types.ts';
import { ingestWavFile } from './wav-reader.ts';

export function runDecodeJob(job: DecodeJob): Promise<IngestResult> {
  if (job.format === 'wav') return ingestWavFile(job);
  if (job.format === 'mp3-stream') return ingestMp3Stream(job);
  return ingestFile(job);
}
