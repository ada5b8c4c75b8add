// Which decode job an uploaded source needs, from its first bytes: MP3, WAV, AIFF and FLAC are
// decoded like results; M4A, AAC and Ogg are refused with the one sentence the producer needs.
import { open } from 'node:fs/promises';
import { SNIFF_HEAD_BYTES, sniffAudio } from '../../../shared/audio-sniff.ts';
import { IngestError, toIngestError } from './errors.ts';
import type { DecodeJob } from './types.ts';
import type { ResidualStep } from './residual/types.ts';

const UNDECODED: Readonly<Record<string, string>> = {
  m4a: 'M4A',
  aac: 'AAC',
  ogg: 'Ogg',
};

async function readHead(path: string, position: number): Promise<Uint8Array> {
  const head = new Uint8Array(SNIFF_HEAD_BYTES);
  try {
    const handle = await open(path, 'r');
    try {
      const { bytesRead } = await handle.read(head, 0, head.length, position);
      return head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toIngestError(error);
  }
}

/** Some taggers put an ID3v2 tag before "fLaC" too: such a file sniffs as MP3 by its first bytes. */
async function isFlacAfterId3(path: string, head: Uint8Array): Promise<boolean> {
  if (head.length < 10 || head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return false;
  const size =
    ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
  const after = await readHead(path, 10 + size + (head[5]! & 0x10 ? 10 : 0));
  return sniffAudio(after) === 'flac';
}

export async function sourceJob(path: string, outBase: string): Promise<Exclude<DecodeJob, ResidualStep>> {
  const head = await readHead(path, 0);
  const container = sniffAudio(head);
  if (container === 'flac' || (container === 'mp3' && (await isFlacAfterId3(path, head))))
    return { format: 'flac', flacPath: path, outBase };
  if (container === 'mp3') return { format: 'mp3', mp3Path: path, outBase };
  if (container === 'wav' || container === 'aiff') return { format: 'wav', wavPath: path, outBase };
  const name = container ? UNDECODED[container] : null;
  throw new IngestError(
    'not_audio',
    name
      ? `This source is ${name}, which Stemhook cannot decode yet: A/B and the residual need it converted to WAV (then split that file).`
      : 'This source is not audio Stemhook can decode: A/B and the residual need a WAV, AIFF, FLAC or MP3.',
  );
}
