// Plain-words formatting of times, ages, sizes and task facts for the UI (pure, unit-tested).
import type { TaskKind, TaskState, TaskView } from '../../../shared/domain.ts';

export const KIND_LABELS: Record<TaskKind, string> = {
  'add-instrumental': 'Add instrumental',
  'add-vocals': 'Add vocals',
  separate_vocal: 'Vocals + instrumental',
  split_stem: '12 stems',
  wav: 'WAV conversion',
  midi: 'MIDI transcription',
};

export const STATE_LABELS: Record<TaskState, string> = {
  submitted: 'Submitted',
  text: 'Writing',
  first: 'First take ready',
  complete: 'Complete',
  failed: 'Failed',
};

/** KIE deletes result files 14 days after generation. */
export const LINK_LIFETIME_MS = 14 * 24 * 3600 * 1000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatClock(seconds: number, withMillis = false): string {
  const safe = Math.max(0, seconds);
  const m = Math.floor(safe / 60);
  const s = safe - m * 60;
  const whole = Math.floor(s);
  const text = `${m}:${String(whole).padStart(2, '0')}`;
  return withMillis ? `${text}.${String(Math.floor((s - whole) * 1000)).padStart(3, '0')}` : text;
}

export function formatAge(at: number, now: number): string {
  const ago = now - at;
  if (ago < 45_000) return 'just now';
  if (ago < HOUR) return `${Math.round(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.round(ago / HOUR)} h ago`;
  if (ago < 30 * DAY) return `${Math.round(ago / DAY)} d ago`;
  return new Date(at).toLocaleDateString();
}

export function formatSpan(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < MINUTE) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / 1000)} s`;
  return `${(ms / HOUR).toFixed(1)} h`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

export function taskTitle(task: Pick<TaskView, 'title' | 'sourceName' | 'kieTaskId'>): string {
  return task.title || task.sourceName || task.kieTaskId;
}

interface Expiry {
  text: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

/** Whether KIE's links still matter: once every file is downloaded the library holds them for good. */
export function linkExpiry(task: TaskView, now: number): Expiry {
  const done = task.stages.find((s) => s.name === 'complete');
  if (task.state === 'failed') return { text: 'no results', tone: 'muted' };
  if (!done) return { text: 'links pending', tone: 'muted' };
  const isSaved = task.tracks.length > 0 && task.tracks.every((t) => t.state === 'ready');
  if (isSaved) return { text: 'saved locally', tone: 'ok' };
  const left = done.at + LINK_LIFETIME_MS - now;
  if (left <= 0) return { text: 'links expired', tone: 'bad' };
  const days = Math.floor(left / DAY);
  return {
    text: days >= 1 ? `links expire in ${days} d` : `links expire in ${Math.ceil(left / HOUR)} h`,
    tone: days < 2 ? 'warn' : 'ok',
  };
}

/** Stage times relative to submission, e.g. [['text', 2100], ['first', 5300]]. */
export function stageOffsets(task: TaskView): Array<{ name: string; at: number; offset: number }> {
  const start = task.stages[0]?.at ?? task.createdAt;
  return task.stages.map((s) => ({ name: s.name, at: s.at, offset: s.at - start }));
}

export function readyCount(task: TaskView): { ready: number; total: number } {
  return { ready: task.tracks.filter((t) => t.state === 'ready').length, total: task.tracks.length };
}
