// Ingest of WAV results (KIE's lossless conversions): every common sample format lands in the PCM
// cache exactly (24-bit scale), with peaks and level flags like the MP3 path; damaged files fail
// with the codes the downloader understands.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeS24le } from '../../electron/core/audio/pcm-cache.ts';
import { readPeaks } from '../../electron/core/audio/peaks.ts';
import { ingestWavFile } from '../../electron/core/audio/wav-reader.ts';
import { createSampleEncoder } from '../../electron/core/export/sample-encoder.ts';
import type { SampleFormat } from '../../electron/core/export/wav-header.ts';
import { createWavWriter } from '../../electron/core/export/wav-writer.ts';
import { encodeWav } from '../../electron/core/simulator/wav-encode.ts';
import { SAMPLE_RATE } from '../../electron/core/simulator/synth-dsp.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-wav-ingest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Values in 24-bit scale that are exact in the given format. */
function signal(count: number, format: SampleFormat): Float64Array {
  const step = format === 'pcm16' ? 256 : 1;
  return Float64Array.from({ length: count }, (_, i) => {
    const v = Math.round(Math.sin(i * 0.013) * 6_000_000 + (i % 7) * 1000);
    return v - (v % step);
  });
}

async function writeWav(
  path: string,
  format: SampleFormat,
  channels: number,
  values: Float64Array,
  riffLimit?: number,
) {
  const frames = values.length / channels;
  const writer = await createWavWriter(
    path,
    { sampleFormat: format, sampleRate: 48000, channels },
    { frames, riffLimit },
  );
  await writer.write(createSampleEncoder(format).encode(values, values.length).slice());
  await writer.close();
}

describe('WAV ingest', () => {
  it.each<[SampleFormat, number]>([
    ['pcm16', 2],
    ['pcm24', 2],
    ['pcm24', 1],
    ['float32', 2],
  ])('puts %s x%i into the PCM cache exactly, with matching peaks', async (format, channels) => {
    const values = signal(70_001 * channels, format);
    const wavPath = join(dir, 'in.wav');
    await writeWav(wavPath, format, channels, values);
    const result = await ingestWavFile({ wavPath, outBase: join(dir, 'out') });
    expect(result).toMatchObject({ sampleRate: 48000, channels, sampleCount: 70_001, isNearSilent: false });
    const pcm = decodeS24le(await readFile(result.pcmPath));
    expect(pcm.length).toBe(values.length);
    expect(pcm.every((v, i) => v === values[i])).toBe(true);
    const peaks = await readPeaks(result.peaksPath);
    expect(peaks).toMatchObject({ sampleRate: 48000, channels, sampleCount: 70_001 });
    const first = peaks.levels[0];
    let max = -Infinity;
    for (let f = 0; f < 256; f++) max = Math.max(max, values[f * channels] ?? 0);
    expect(first?.data[0]?.[1]).toBe(Math.round(max / 256));
  });

  it("reads the simulator's 16-bit WAVs (what KIE's conversion returns) sample for sample", async () => {
    const left = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10) * 0.8);
    const right = Float32Array.from({ length: 1000 }, (_, i) => Math.cos(i / 7) * 0.3);
    const wavPath = join(dir, 'sim.wav');
    await writeFile(wavPath, encodeWav({ left, right }));
    const result = await ingestWavFile({ wavPath, outBase: join(dir, 'sim') });
    expect(result).toMatchObject({ sampleRate: SAMPLE_RATE, channels: 2, sampleCount: 1000 });
    const pcm = decodeS24le(await readFile(result.pcmPath));
    for (let i = 0; i < 1000; i++) {
      expect(pcm[2 * i]).toBe(Math.round((left[i] ?? 0) * 32767) * 256);
      expect(pcm[2 * i + 1]).toBe(Math.round((right[i] ?? 0) * 32767) * 256);
    }
  });

  it('reads RF64 files', async () => {
    const values = signal(4000, 'pcm24');
    const wavPath = join(dir, 'rf64.wav');
    await writeWav(wavPath, 'pcm24', 2, values, 1000);
    expect((await readFile(wavPath)).subarray(0, 4).toString()).toBe('RF64');
    const result = await ingestWavFile({ wavPath, outBase: join(dir, 'rf') });
    expect(result.sampleCount).toBe(2000);
    expect(Array.from(decodeS24le(await readFile(result.pcmPath)))).toEqual(Array.from(values));
  });

  it('reads 8-bit files and a data size left unpatched by a streaming writer', async () => {
    const body = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'latin1');
    header.writeUInt32LE(0xffffffff, 4);
    header.write('WAVEfmt ', 8, 'latin1');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(8000, 24);
    header.writeUInt32LE(8000, 28);
    header.writeUInt16LE(1, 32);
    header.writeUInt16LE(8, 34);
    header.write('data', 36, 'latin1');
    header.writeUInt32LE(0xffffffff, 40);
    const wavPath = join(dir, 'u8.wav');
    await writeFile(wavPath, Buffer.concat([header, body]));
    const result = await ingestWavFile({ wavPath, outBase: join(dir, 'u8') });
    expect(result).toMatchObject({ sampleRate: 8000, channels: 1, sampleCount: 300 });
    const pcm = decodeS24le(await readFile(result.pcmPath));
    expect(Array.from(pcm)).toEqual(Array.from(body, (b) => (b - 128) * 65536));
  });

  it('fails as truncated when the data chunk promises more than the file holds, and cleans up', async () => {
    const wavPath = join(dir, 'cut.wav');
    await writeWav(wavPath, 'pcm16', 2, signal(2000, 'pcm16'));
    const full = await readFile(wavPath);
    await writeFile(wavPath, full.subarray(0, full.length - 100));
    await expect(ingestWavFile({ wavPath, outBase: join(dir, 'cut') })).rejects.toMatchObject({
      code: 'truncated',
    });
    await expect(readFile(join(dir, 'cut.pcm'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readFile(join(dir, 'cut.pcm.part'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses files that are not WAV', async () => {
    const wavPath = join(dir, 'page.wav');
    await writeFile(wavPath, '<html>gone</html>');
    await expect(ingestWavFile({ wavPath, outBase: join(dir, 'x') })).rejects.toMatchObject({
      code: 'not_audio',
    });
    await expect(
      ingestWavFile({ wavPath: join(dir, 'missing.wav'), outBase: join(dir, 'y') }),
    ).rejects.toMatchObject({ code: 'io' });
  });
});
