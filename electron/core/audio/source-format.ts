// Which decode job an uploaded source needs, from its first bytes: MP3, WAV and AIFF are decoded
// like results; FLAC, M4A, AAC and Ogg are refused with the one sentence the producer needs.
import { open } from 'node:fs/promises';
import { SNIFF_HEAD_BYTES, sniffAudio } from '../../../shared/audio-sniff.ts';
import { IngestError, toIngestError } from './errors.ts';
import type { DecodeJob } from './types.ts';

const UNDECODED: Readonly<Record<string, string>> = {
  flac: 'FLAC',
  m4a: 'M4A',
  aac: 'AAC',
  ogg: 'Ogg',
};

export async function sourceJob(
  path: string,
  outBase: string,
): Promise<Exclude<DecodeJob, { format: 'residual' }>> {
  const head = new Uint8Array(SNIFF_HEAD_BYTES);
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toIngestError(error);
  }
  const container = sniffAudio(head);
  if (container === 'mp3') return { format: 'mp3', mp3Path: path, outBase };
  if (container === 'wav' || container === 'aiff') return { format: 'wav', wavPath: path, outBase };
  const name = container ? UNDECODED[container] : null;
  throw new IngestError(
    'not_audio',
    name
      ? `This source is ${name}, which Stemhook cannot decode yet: A/B and the residual need it converted to WAV (then split that file).`
      : 'This source is not audio Stemhook can decode: A/B and the residual need a WAV, AIFF or MP3.',
  );
}
