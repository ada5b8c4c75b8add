// Tempo and key analysis against labelled audio it has never seen the labels of: generated clips
// (straight, half-time and swung drums with bass and chords, 60-200 BPM, 16 different keys) and
// simulator songs. Asserts the accuracy targets of issue 13 §3 on this subset; the benchmark
// (test/bench/analysis.bench.ts) measures the full set of 48 clips and more songs.
import { describe, expect, it } from 'vitest';
import { analyseSignal } from '../../electron/core/analysis/analyse.ts';
import { signalFromChannels } from '../../electron/core/analysis/signal.ts';
import { labelledClips, simulatorSongs, type LabelledClip } from '../helpers/analysis-clips.ts';
import { TARGETS, accuracyOf, scoreClip } from '../helpers/analysis-score.ts';

function analyse(clip: LabelledClip) {
  return analyseSignal(signalFromChannels(clip.channels, clip.sampleRate));
}

describe('tempo and key analysis accuracy', () => {
  it('meets the targets on 16 generated clips and 2 simulator songs', async () => {
    const clips = [...labelledClips(16, 12), ...(await simulatorSongs([11, 12], 16))];
    const scores = clips.map((clip) => scoreClip(clip, analyse(clip)));
    const accuracy = accuracyOf(scores);
    const misses = scores
      .filter((s) => s.tempo !== 'exact' || s.key !== 'exact')
      .map((s) => `${s.clip.name}: ${s.clip.bpm} → ${s.result.tempo?.bpm.toFixed(2)}, key ${s.key}`);
    expect(accuracy.tempoExact, misses.join('\n')).toBeGreaterThanOrEqual(TARGETS.tempoExact);
    expect(accuracy.keyExact, misses.join('\n')).toBeGreaterThanOrEqual(TARGETS.keyExact);
    expect(accuracy.keyExactOrRelative, misses.join('\n')).toBeGreaterThanOrEqual(TARGETS.keyExactOrRelative);
  }, 120_000);

  it('places the first beat on the first downbeat of a clip that starts after a pause', () => {
    for (const clip of labelledClips(6, 10)) {
      const tempo = analyse(clip).tempo;
      expect(tempo, clip.name).not.toBeNull();
      expect(Math.abs((tempo?.firstBeatSec ?? 0) - (clip.firstBeatSec ?? 0)), clip.name).toBeLessThan(0.02);
    }
  });

  it('is sure of a steady groove and unsure of noise, and finds nothing in silence', () => {
    const [groove] = labelledClips(1, 10);
    const random = (() => {
      let seed = 7;
      return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    })();
    const noise = Float32Array.from({ length: 44100 * 10 }, () => 0.3 * random());
    const grooveResult = analyse(groove as LabelledClip);
    const noiseResult = analyseSignal(signalFromChannels([noise], 44100));
    expect(grooveResult.tempo?.confidence ?? 0).toBeGreaterThan(0.5);
    expect(noiseResult.tempo?.confidence ?? 0).toBeLessThan(0.3);
    const silence = analyseSignal(signalFromChannels([new Float32Array(44100 * 10)], 44100));
    expect(silence).toEqual({ tempo: null, key: null });
  });

  it('reports a plain click track at its own tempo, not at half of it', () => {
    const rate = 44100;
    for (const bpm of [60, 90, 120, 150]) {
      const period = 60 / bpm;
      const clicks = Float32Array.from({ length: rate * 15 }, (_, i) => {
        const sinceClick = (i / rate) % period;
        return sinceClick < 0.05
          ? 0.8 * Math.sin(2 * Math.PI * 1000 * (i / rate)) * Math.exp(-sinceClick * 60)
          : 0;
      });
      const tempo = analyseSignal(signalFromChannels([clicks], rate)).tempo;
      expect(Math.abs((tempo?.bpm ?? 0) - bpm), `${bpm} BPM`).toBeLessThanOrEqual(1);
      expect(tempo?.firstBeatSec ?? 1, `${bpm} BPM`).toBeLessThan(0.02);
    }
  });
});
