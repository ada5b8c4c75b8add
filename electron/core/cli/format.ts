// Human-readable output of the CLI (the --json flag prints the contract's objects instead).
import { analysisText } from '../../../shared/analysis-text.ts';
import type { TaskView } from '../../../shared/domain.ts';
import type { TakeLyricsSummary } from '../../../shared/lyrics.ts';

function age(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)}m ago`;
  if (s < 129600) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export function formatTaskLine(task: TaskView): string {
  const ready = task.tracks.filter((t) => t.state === 'ready').length;
  return [
    task.id.slice(0, 8),
    task.kind.padEnd(16),
    task.state.padEnd(9),
    `${ready}/${task.tracks.length} ready`.padEnd(10),
    age(task.createdAt).padEnd(8),
    task.title ?? task.sourceName ?? '',
  ].join('  ');
}

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function formatLyrics(lyrics: TakeLyricsSummary): string {
  if (lyrics.state === 'pending') return 'not fetched yet';
  if (lyrics.state === 'none') return 'none (instrumental or not available)';
  const sections = lyrics.sections.map((s) => `${s.name} ${clock(s.startSec)}`).join(', ');
  return sections ? `yes; sections ${sections}` : 'yes';
}

export function formatTask(task: TaskView): string {
  const lines = [
    `${task.title ?? '(untitled)'}  [${task.kind}]`,
    `  id ${task.id}   KIE task ${task.kieTaskId}`,
    `  state ${task.state}${task.error ? `: ${task.error.message}` : ''}`,
    `  stages ${task.stages.map((s) => `${s.name} ${new Date(s.at).toISOString().slice(11, 19)} (${s.source})`).join(' → ')}`,
  ];
  if (task.sourceName) lines.push(`  source ${task.sourceName}`);
  for (const t of task.tracks) {
    const detail =
      t.state === 'ready'
        ? `${t.durationSec?.toFixed(2)}s ${t.sampleRate} Hz ${t.channels}ch${t.isNearSilent ? ' (near-silent)' : ''} ${t.localPath}`
        : (t.error ?? '');
    lines.push(`  - ${t.stem.padEnd(14)} ${(t.audioId ?? '').padEnd(36)} ${t.state.padEnd(11)} ${detail}`);
    if (t.lyrics) lines.push(`    lyrics ${formatLyrics(t.lyrics)}`);
    const analysis = analysisText(t);
    if (analysis) lines.push(`    ${analysis}`);
  }
  if (task.midi && task.midi.instruments.length === 0) lines.push('  KIE found no notes');
  for (const i of task.midi?.instruments ?? [])
    lines.push(`  - ${(i.stem ?? '?').padEnd(14)} ${i.name.padEnd(36)} ${i.noteCount} notes`);
  return lines.join('\n');
}
