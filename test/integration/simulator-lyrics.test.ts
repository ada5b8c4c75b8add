// The simulator's get-timestamped-lyrics (kie-api.md §7.3): section markers and words land where its
// synthetic lead vocal sings (checked on the decoded vocal stem of a real separation), and the
// `lyrics` switch answers empty (instrumental) or refuses (real HTTP on 127.0.0.1, real MP3 decoding).
import { MPEGDecoder } from 'mpg123-decoder';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSimulatorHarness,
  pick,
  pickString,
  type SimulatorHarness,
} from '../../electron/core/simulator/harness.ts';
import type { SimulatorOptions } from '../../electron/core/simulator/index.ts';
import { alignedWordsFrom } from '../../shared/kie/lyrics.ts';
import { analyseLyrics } from '../../shared/lyrics.ts';

const DURATION = 20;
const harnesses: SimulatorHarness[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function takeWithLyrics(options: Partial<SimulatorOptions> = {}) {
  const h = await createSimulatorHarness({ audioDurationSec: DURATION, stageDelayMs: 10, ...options });
  harnesses.push(h);
  const body = {
    uploadUrl: await h.upload(),
    title: 'Harbor',
    prompt: 'la la',
    style: 'pop',
    negativeTags: '',
    callBackUrl: h.catcher.url,
  };
  const taskId = pickString(await h.call('/api/v1/generate/add-vocals', body), 'data', 'taskId');
  await h.sim.control.idle();
  const info = await h.call(`/api/v1/generate/record-info?taskId=${taskId}`);
  const audioId = pickString(info, 'data', 'response', 'sunoData', 0, 'id');
  const answer = await h.call('/api/v1/generate/get-timestamped-lyrics', { taskId, audioId });
  return { h, taskId, audioId, answer };
}

async function decodedVocalStem(h: SimulatorHarness, taskId: string, audioId: string): Promise<Float32Array> {
  const sep = await h.call('/api/v1/vocal-removal/generate', {
    taskId,
    audioId,
    type: 'separate_vocal',
    callBackUrl: h.catcher.url,
  });
  const sepId = pickString(sep, 'data', 'taskId');
  await h.sim.control.idle();
  const info = await h.call(`/api/v1/vocal-removal/record-info?taskId=${sepId}`);
  const bytes = new Uint8Array(
    await (await fetch(pickString(info, 'data', 'response', 'vocalUrl'))).arrayBuffer(),
  );
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    return decoder.decode(bytes).channelData[0] ?? new Float32Array();
  } finally {
    decoder.free();
  }
}

function rms(samples: Float32Array, fromSec: number, toSec: number): number {
  const from = Math.max(0, Math.round(fromSec * 44100));
  const to = Math.min(samples.length, Math.round(toSec * 44100));
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

describe('simulator: timestamped lyrics', () => {
  it(
    'puts each section marker where the vocal starts singing after a rest',
    { timeout: 240_000 },
    async () => {
      const { h, taskId, audioId, answer } = await takeWithLyrics();
      expect(answer).toMatchObject({ code: 200, msg: 'success' });
      const words = alignedWordsFrom(pick(answer, 'data'));
      const { lines, sections } = analyseLyrics(words, DURATION);
      expect(sections.length).toBeGreaterThanOrEqual(2);
      expect(sections.map((s) => s.name).slice(0, 2)).toEqual(['Verse', 'Chorus']);
      expect(lines.length).toBe(sections.length);
      expect(words.some((w) => !w.isAligned)).toBe(true);

      const vocal = await decodedVocalStem(h, taskId, audioId);
      const loud = rms(vocal, 0, DURATION);
      for (const section of sections) {
        // Sung right after the marker; a bar of rest before every marker but the first.
        expect(rms(vocal, section.startSec + 0.05, section.startSec + 0.35)).toBeGreaterThan(loud * 0.3);
        if (section.startSec > 0)
          expect(rms(vocal, section.startSec - 0.6, section.startSec - 0.15)).toBeLessThan(loud * 0.02);
      }
      // Every aligned word is sung: the vocal is audible in the middle of it.
      for (const word of words.filter((w) => w.isAligned)) {
        const middle = (word.startSec + word.endSec) / 2;
        expect(rms(vocal, middle - 0.05, middle + 0.05)).toBeGreaterThan(loud * 0.1);
      }
    },
  );

  it('answers an empty word list in "empty" mode and a 422 in "refuse" mode', async () => {
    const empty = await takeWithLyrics({ lyrics: 'empty', audioDurationSec: 2 });
    expect(empty.answer).toMatchObject({ code: 200, data: { alignedWords: [] } });
    const refused = await takeWithLyrics({ lyrics: 'refuse', audioDurationSec: 2 });
    expect(refused.answer).toMatchObject({ code: 422, data: null });
  });

  it('answers 404 for a track the task does not have', async () => {
    const { h, taskId } = await takeWithLyrics({ audioDurationSec: 2 });
    const answer = await h.call('/api/v1/generate/get-timestamped-lyrics', { taskId, audioId: 'nope' });
    expect(answer).toMatchObject({ code: 404 });
  });
});
