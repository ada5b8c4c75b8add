// Reads an AIFF or AIFF-C header (uploaded sources from Logic and older Macs) into the same layout
// the WAV reader streams from: big-endian integer PCM, AIFC "sowt" little-endian, 32-bit float.
import { IngestError } from './errors.ts';
import { formatProblem } from './limits.ts';
import type { PcmLayout } from './pcm-layout.ts';

function tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

/** The 80-bit IEEE extended float AIFF stores its sample rate in. */
function extendedToNumber(view: DataView, at: number): number {
  const exponent = view.getUint16(at) & 0x7fff;
  const hi = view.getUint32(at + 2);
  const lo = view.getUint32(at + 6);
  if (exponent === 0 && hi === 0 && lo === 0) return 0;
  return hi * 2 ** (exponent - 16383 - 31) + lo * 2 ** (exponent - 16383 - 63);
}

export function isAiff(head: Uint8Array): boolean {
  return tag(head, 0) === 'FORM' && (tag(head, 8) === 'AIFF' || tag(head, 8) === 'AIFC');
}

export function parseAiffHeader(head: Uint8Array, fileSize: number): PcmLayout {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const isCompressedForm = tag(head, 8) === 'AIFC';
  let comm: Omit<PcmLayout, 'dataOffset' | 'frames'> | null = null;
  let frames = 0;
  for (let at = 12; at + 8 <= head.length;) {
    const id = tag(head, at);
    const size = view.getUint32(at + 4);
    const body = at + 8;
    if (id === 'COMM' && body + 18 <= head.length) {
      const channels = view.getUint16(body);
      frames = view.getUint32(body + 2);
      const bitsPerSample = view.getUint16(body + 6);
      const sampleRate = Math.round(extendedToNumber(view, body + 8));
      const compression = isCompressedForm && body + 22 <= head.length ? tag(head, body + 18) : 'NONE';
      const isFloat = compression === 'fl32' || compression === 'FL32';
      const isKnown =
        (['NONE', 'sowt'].includes(compression) && [8, 16, 24, 32].includes(bitsPerSample)) ||
        (isFloat && bitsPerSample === 32);
      if (!isKnown)
        throw new IngestError(
          'not_audio',
          `unsupported AIFF sample format (${compression}, ${bitsPerSample} bits): convert it to WAV`,
        );
      const problem = formatProblem(channels, sampleRate);
      if (problem) throw new IngestError('not_audio', problem);
      comm = {
        encoding: isFloat ? 3 : 1,
        channels,
        sampleRate,
        bitsPerSample,
        blockAlign: (channels * bitsPerSample) / 8,
        isBigEndian: compression !== 'sowt',
        isSigned8: true,
      };
    }
    if (id === 'SSND' && body + 8 <= head.length) {
      if (!comm) throw new IngestError('not_audio', 'AIFF sound data before its COMM chunk');
      const dataOffset = body + 8 + view.getUint32(body);
      const bytes = frames * comm.blockAlign;
      if (dataOffset + bytes > fileSize)
        throw new IngestError(
          'truncated',
          `the AIFF sound data promises ${bytes} bytes but the file ends early`,
        );
      return { ...comm, dataOffset, frames };
    }
    at = body + size + (size % 2);
  }
  throw new IngestError('not_audio', 'no AIFF sound data in the first 64 KiB');
}
