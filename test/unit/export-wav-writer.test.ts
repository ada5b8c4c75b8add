// The streaming WAV writer: headers for every format (checked by our own reader and by ffprobe and
// sox), word alignment, RF64 past the size limit, exact lengths, and publishing without clobbering.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSampleEncoder } from '../../electron/core/export/sample-encoder.ts';
import type { SampleFormat } from '../../electron/core/export/wav-header.ts';
import { createWavWriter } from '../../electron/core/export/wav-writer.ts';
import { ffprobe, hasFfprobe, hasSoxi, readWavFile, skipReason, soxiFrames } from '../helpers/wav-reader.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stemhook-wav-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A ramp in 24-bit scale that exercises sign, every byte and both extremes. */
function ramp(count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = ((i * 104729) % 16777216) - 8388608;
  out[0] = 8388607;
  out[1] = -8388608;
  return out;
}

async function write(
  path: string,
  format: SampleFormat,
  channels: number,
  frames: number,
  options: { riffLimit?: number } = {},
) {
  const values = ramp(frames * channels);
  const writer = await createWavWriter(
    path,
    { sampleFormat: format, sampleRate: 48000, channels },
    { frames, ...options },
  );
  const encoder = createSampleEncoder(format);
  await writer.write(encoder.encode(values, values.length).slice());
  await writer.close();
  return values;
}

describe('WAV writer', () => {
  const cases: Array<[SampleFormat, number, number, number, number | null]> = [
    // format, channels, bits, formatTag, subFormat
    ['pcm16', 2, 16, 1, null],
    ['pcm16', 1, 16, 1, null],
    ['pcm24', 2, 24, 0xfffe, 1],
    ['pcm24', 1, 24, 0xfffe, 1],
    ['float32', 2, 32, 0xfffe, 3],
    ['pcm16', 6, 16, 0xfffe, 1],
  ];

  it.each(cases)(
    '%s x%i writes a header our reader and the oracles agree on',
    async (format, channels, bits, tag, sub) => {
      const path = join(dir, `${format}-${channels}.wav`);
      const frames = 1001;
      const values = await write(path, format, channels, frames);
      const wav = await readWavFile(path);
      expect(wav.container).toBe('RIFF');
      expect(wav.formatTag).toBe(tag);
      expect(wav.subFormat).toBe(sub);
      expect(wav.bitsPerSample).toBe(bits);
      expect(wav.channels).toBe(channels);
      expect(wav.sampleRate).toBe(48000);
      expect(wav.blockAlign).toBe((channels * bits) / 8);
      expect(wav.byteRate).toBe(48000 * wav.blockAlign);
      expect(wav.frames).toBe(frames);
      expect(wav.riffSize).toBe(wav.fileSize - 8);
      expect(wav.fileSize % 2).toBe(0);
      if (format === 'float32') expect(wav.chunkIds).toContain('fact');
      if (sub !== null) expect(wav.validBits).toBe(bits);
      if (channels <= 2 && sub !== null) expect(wav.channelMask).toBe(channels === 2 ? 3 : 4);
      if (format === 'pcm24') expect(Array.from(wav.samples)).toEqual(Array.from(values));
      if (format === 'float32')
        expect(Array.from(wav.samples, (x) => x * 8388608)).toEqual(Array.from(values));
      if (!hasFfprobe) return console.warn(skipReason('ffprobe'));
      const probe = ffprobe(path);
      expect(probe.sampleRate).toBe(48000);
      expect(probe.channels).toBe(channels);
      expect(probe.frames).toBe(frames);
      expect(probe.codec).toBe(format === 'float32' ? 'pcm_f32le' : `pcm_s${bits}le`);
      if (hasSoxi) expect(soxiFrames(path)).toBe(frames);
    },
  );

  it('pads an odd data chunk to a word boundary', async () => {
    const path = join(dir, 'odd.wav');
    await write(path, 'pcm24', 1, 3);
    const wav = await readWavFile(path);
    expect(wav.frames).toBe(3);
    expect(wav.fileSize % 2).toBe(0);
    expect(wav.riffSize).toBe(wav.fileSize - 8);
  });

  it('switches to RF64 with a ds64 chunk when the RIFF size field would overflow', async () => {
    const path = join(dir, 'big.wav');
    const values = await write(path, 'pcm24', 2, 5000, { riffLimit: 20_000 });
    const wav = await readWavFile(path);
    expect(wav.container).toBe('RF64');
    expect(wav.chunkIds[0]).toBe('ds64');
    expect(wav.frames).toBe(5000);
    expect(wav.riffSize).toBe(wav.fileSize - 8);
    expect(Array.from(wav.samples)).toEqual(Array.from(values));
    if (!hasFfprobe) return console.warn(skipReason('ffprobe'));
    expect(ffprobe(path).frames).toBe(5000);
  });

  it('refuses more or less audio than the header promised and leaves nothing behind', async () => {
    const path = join(dir, 'short.wav');
    const writer = await createWavWriter(
      path,
      { sampleFormat: 'pcm16', sampleRate: 44100, channels: 2 },
      { frames: 10 },
    );
    await writer.write(new Uint8Array(36));
    await expect(writer.close()).rejects.toMatchObject({ code: 'length_mismatch' });
    const over = await createWavWriter(
      path,
      { sampleFormat: 'pcm16', sampleRate: 44100, channels: 2 },
      { frames: 1 },
    );
    await expect(over.write(new Uint8Array(8))).rejects.toMatchObject({ code: 'length_mismatch' });
    await over.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it('never replaces an existing file unless told to', async () => {
    const path = join(dir, 'taken.wav');
    await writeFile(path, 'keep me');
    const writer = await createWavWriter(
      path,
      { sampleFormat: 'pcm16', sampleRate: 44100, channels: 1 },
      { frames: 2 },
    );
    await writer.writeSilence(2);
    await expect(writer.close()).rejects.toMatchObject({ code: 'exists' });
    expect(existsSync(`${path}.part`)).toBe(false);
    const again = await createWavWriter(
      path,
      { sampleFormat: 'pcm16', sampleRate: 44100, channels: 1 },
      { frames: 2, overwrite: true },
    );
    await again.writeSilence(2);
    await again.close();
    expect((await readWavFile(path)).frames).toBe(2);
  });
});
