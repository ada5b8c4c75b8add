// One decode job (an MP3 download or a KIE WAV conversion) run to its PCM cache and peaks: the same
// function in a worker thread and, when workers cannot start, in the main process.
import { ingestFile } from './ingest.ts';
import type { DecodeJob, IngestResult } from './types.ts';
import { ingestWavFile } from './wav-reader.ts';

export function runDecodeJob(job: DecodeJob): Promise<IngestResult> {
  return job.format === 'wav' ? ingestWavFile(job) : ingestFile(job);
}
