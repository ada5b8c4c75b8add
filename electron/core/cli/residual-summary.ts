// What `stemhook show` says about a split's residual: its level, offset and leaks in --json, one line
// for people. A task that is no split, or not downloaded yet, has none (null), never an error.
import type { ResidualView } from '../../../shared/api.ts';
import type { TaskView } from '../../../shared/domain.ts';
import type { HostFile } from '../host/host-file.ts';
import { call, CliError } from './client.ts';

const SPLIT_KINDS: readonly string[] = ['split_stem', 'separate_vocal'];

export async function residualOf(host: HostFile, task: TaskView): Promise<ResidualView | null> {
  const isDownloaded = task.state === 'complete' && task.tracks.every((t) => t.state === 'ready');
  if (!SPLIT_KINDS.includes(task.kind) || !isDownloaded) return null;
  try {
    return await call(host, 'tasks.residual', { id: task.id });
  } catch (error) {
    // The host is gone: that is worth an exit code; a residual the core refuses to compute is not.
    if (error instanceof CliError && error.exitCode === 2) throw error;
    return null;
  }
}

export function formatResidual(residual: ResidualView): string {
  const leak = [...residual.leaks].sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation))[0];
  const top = leak ? `, most like ${leak.stem} (${Math.round(Math.abs(leak.correlation) * 100)}%)` : '';
  return `residual ${residual.levelDb} dB against the source, offset ${residual.offsetMs} ms${top}`;
}
