// One job of a decode worker (an MP3 download, an MP3 still arriving through a MessagePort, a WAV,
// AIFF or FLAC file, a step of a split's residual, or a source conformed to its stems' rate) run to
// its PCM cache and peaks: the same function in a worker thread and, when workers cannot start, in
// the main process.
import { conformRate } from './conform-rate.ts';
import { ingestFlacFile } from './flac/ingest-flac.ts';
import { ingestFile } from './ingest.ts';
import { ingestMp3Stream } from './ingest-stream.ts';
import { runResidualStep } from './residual/residual-job.ts';
import type { DecodeJob, DecodeJobResult } from './types.ts';
import { ingestWavFile } from './wav-reader.ts';

export async function runDecodeJob<J extends DecodeJob>(job: J): Promise<DecodeJobResult<J>>;
export async function runDecodeJob(job: DecodeJob): Promise<DecodeJobResult<DecodeJob>> {
  if (job.format === 'residual-plan' || job.format === 'residual-part' || job.format === 'residual-finish')
    return runResidualStep(job);
  if (job.format === 'conform') return conformRate(job);
  if (job.format === 'wav') return ingestWavFile(job);
  if (job.format === 'flac') return ingestFlacFile(job);
  if (job.format === 'mp3-stream') return ingestMp3Stream(job);
  return ingestFile(job);
}
