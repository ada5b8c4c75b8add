// Tempo/key accuracy benchmark (a script, not a test): the full labelled set of 48 generated clips
// (60-200 BPM, straight / half-time / swung, every major and minor key twice) and 8 simulator
// songs, analysed as the app does it; prints one row per clip and the table against the targets
// of issue 13 §3, and exits non-zero when a target is missed.
// Run: npx node test/bench/analysis.bench.ts [--smoke]   (smoke: 24 clips of 12 s, 2 songs)
import { analyseSignal } from '../../electron/core/analysis/analyse.ts';
import { signalFromChannels } from '../../electron/core/analysis/signal.ts';
import { keyName } from '../../shared/musical-key.ts';
import { labelledClips, simulatorSongs } from '../helpers/analysis-clips.ts';
import { TARGETS, accuracyOf, scoreClip, type ClipScore } from '../helpers/analysis-score.ts';

const isSmoke = process.argv.includes('--smoke');
const clips = [
  ...labelledClips(isSmoke ? 24 : 48, isSmoke ? 12 : 20),
  ...(await simulatorSongs(isSmoke ? [1, 2] : [1, 2, 3, 4, 5, 6, 7, 8], isSmoke ? 20 : 60)),
];

const scores: ClipScore[] = [];
let audioSec = 0;
let analysisMs = 0;
console.log('| clip | feel | label | tempo found | conf | tempo | key label | key found | conf | key |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const clip of clips) {
  const started = performance.now();
  const result = analyseSignal(signalFromChannels(clip.channels, clip.sampleRate));
  analysisMs += performance.now() - started;
  audioSec += (clip.channels[0]?.length ?? 0) / clip.sampleRate;
  const score = scoreClip(clip, result);
  scores.push(score);
  console.log(
    `| ${clip.name} | ${clip.feel} | ${clip.bpm.toFixed(0)} | ${result.tempo?.bpm.toFixed(2) ?? '-'} | ${result.tempo?.confidence.toFixed(2) ?? '-'} | ${score.tempo} | ${keyName(clip)} | ${result.key ? keyName(result.key) : '-'} | ${result.key?.confidence.toFixed(2) ?? '-'} | ${score.key} |`,
  );
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const rows = [
  ['all clips', accuracyOf(scores)],
  ['generated', accuracyOf(scores.filter((s) => s.clip.feel !== 'song'))],
  ...(['straight', 'half-time', 'swung', 'song'] as const).map(
    (feel) => [feel, accuracyOf(scores.filter((s) => s.clip.feel === feel))] as const,
  ),
] as const;
console.log('\n| set | clips | tempo ±1 BPM | half/double | key exact | key exact or relative |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, a] of rows)
  console.log(
    `| ${name} | ${a.clips} | ${pct(a.tempoExact)} | ${pct(a.tempoHalfOrDouble)} | ${pct(a.keyExact)} | ${pct(a.keyExactOrRelative)} |`,
  );
console.log(
  `| target | | ≥ ${pct(TARGETS.tempoExact)} | (counted apart) | ≥ ${pct(TARGETS.keyExact)} | ≥ ${pct(TARGETS.keyExactOrRelative)} |`,
);
const firstBeatErrors = scores
  .filter((s) => s.clip.firstBeatSec !== null && s.result.tempo)
  .map((s) => Math.abs((s.result.tempo?.firstBeatSec ?? 0) - (s.clip.firstBeatSec ?? 0)) * 1000)
  .sort((a, b) => a - b);
console.log(
  `\nfirst beat: median error ${firstBeatErrors[firstBeatErrors.length >> 1]?.toFixed(1)} ms, worst ${firstBeatErrors.at(-1)?.toFixed(1)} ms`,
);
console.log(
  `analysis speed: ${(analysisMs / (audioSec / 60)).toFixed(0)} ms per minute of audio (one thread)`,
);

const all = accuracyOf(scores);
const isMet =
  all.tempoExact >= TARGETS.tempoExact &&
  all.keyExact >= TARGETS.keyExact &&
  all.keyExactOrRelative >= TARGETS.keyExactOrRelative;
console.log(isMet ? 'targets met' : 'TARGETS MISSED');
process.exitCode = isMet ? 0 : 1;
