// `stemhook export <task>`: aligned WAV stems (plus mixdown, sessions, provenance.json) written by
// the running host into a folder; never overwrites (a numbered set instead) unless --overwrite.
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import type {
  Events,
  ExportFormat,
  ExportOptions,
  ExportRate,
  ExportResultView,
  SessionFormat,
} from '../../../shared/api.ts';
import { STEM_LABELS } from '../../../shared/api.ts';
import type { TaskView, TrackView } from '../../../shared/domain.ts';
import { uniqueLabels } from '../../../shared/naming.ts';
import type { HostFile } from '../host/host-file.ts';
import { CliError, call } from './client.ts';
import { parseFolder, parseSeconds } from './flag-values.ts';
import { printErr, printJson, printOut, printProgress } from './terminal-text.ts';

export const EXPORT_USAGE = `  export <task> [--out DIR] [--format wav24|wav16|wav32f] [--rate source|44100|48000]
                [--stems a,b,c] [--session none|dawproject|rpp[,..]] [--mixdown] [--tempo BPM]
                [--midi | --no-midi] [--lrc | --no-lrc] [--residual] [--lossless] [--mp3] [--overwrite] [--json]
                                aligned WAV stems into a folder (their .mid when KIE transcribed them,
                                <Title>.lrc when the take has lyrics; --midi / --lrc fail without them;
                                --residual: a split's "source − all stems" beside them)`;

const OPTIONS = {
  out: { type: 'string' },
  format: { type: 'string' },
  rate: { type: 'string' },
  stems: { type: 'string' },
  session: { type: 'string', multiple: true },
  mixdown: { type: 'boolean' },
  residual: { type: 'boolean' },
  tempo: { type: 'string' },
  midi: { type: 'boolean' },
  'no-midi': { type: 'boolean' },
  lossless: { type: 'boolean' },
  mp3: { type: 'boolean' },
  overwrite: { type: 'boolean' },
  lrc: { type: 'boolean' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

const squash = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');

/** Stems by name (vocals, backing_vocals), label ("Take 2", take2), track id or KIE audio id. */
export function pickTracks(task: TaskView, spec: string): string[] {
  const ready = task.tracks.filter((t) => t.state === 'ready');
  const labels = uniqueLabels(ready.map((t) => STEM_LABELS[t.stem]));
  return spec
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean)
    .map((token) => {
      const key = squash(token);
      const index = ready.findIndex(
        (t, i) =>
          t.id === token || t.audioId === token || squash(t.stem) === key || squash(labels[i] ?? '') === key,
      );
      const track = ready[index];
      if (!track)
        throw new CliError(
          `no downloaded track "${token}" in this task; it has: ${labels.join(', ') || 'nothing yet'}`,
        );
      return track.id;
    });
}

interface ExportArgs {
  input: ExportOptions;
  /** The --stems list, resolved against the task's tracks once it is fetched. */
  stems: string | null;
  isJson: boolean;
  isLossless: boolean;
  timeoutSec: number;
}

export function parseExportArgs(args: string[], cwd = process.cwd()): ExportArgs {
  const { values, positionals } = parseArgs({
    args,
    options: OPTIONS,
    strict: true,
    allowPositionals: true,
    allowNegative: true,
  });
  const taskId = positionals[0];
  if (!taskId) throw new CliError('export which task? Give its id or KIE task id.');
  const format = values.format as ExportFormat | undefined;
  if (format && !['wav24', 'wav16', 'wav32f'].includes(format))
    throw new CliError(`--format must be wav24, wav16 or wav32f, not "${format}"`);
  let rate: ExportRate | undefined;
  if (values.rate !== undefined) {
    if (values.rate === 'source') rate = 'source';
    else if (values.rate === '44100' || values.rate === '48000') rate = Number(values.rate) as 44100 | 48000;
    else throw new CliError(`--rate must be source, 44100 or 48000, not "${values.rate}"`);
  }
  // Scripts must not depend on what the UI last remembered: every option is explicit here.
  let sessions: SessionFormat[] = [];
  if (values.session) {
    const list = values.session
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    for (const s of list)
      if (!['none', 'dawproject', 'rpp'].includes(s))
        throw new CliError(`--session must be none, dawproject or rpp, not "${s}"`);
    sessions = list.filter((s): s is SessionFormat => s !== 'none');
  }
  const tempoBpm = values.tempo === undefined ? undefined : Number(values.tempo);
  if (tempoBpm !== undefined && !(tempoBpm >= 20 && tempoBpm <= 999))
    throw new CliError('--tempo must be a BPM between 20 and 999');
  if (values.midi && values['no-midi']) throw new CliError('give --midi or --no-midi, not both');
  const input: ExportOptions = {
    taskId,
    // --midi insists on the .mid files; by default they are written whenever MIDI exists.
    midi: values.midi ? true : values['no-midi'] ? false : undefined,
    outDir: parseFolder('out', values.out, cwd),
    format: format ?? 'wav24',
    rate: rate ?? 'source',
    sessions,
    mixdown: values.mixdown ? 'unity' : 'none',
    source: values.mp3 ? 'mp3' : 'auto',
    onConflict: values.overwrite ? 'overwrite' : 'suffix',
    tempoBpm,
    lrc: values.lrc,
    includeResidual: values.residual === true,
  };
  return {
    input,
    stems: values.stems ?? null,
    isJson: values.json === true,
    isLossless: values.lossless === true,
    timeoutSec: parseSeconds('timeout', values.timeout, 600),
  };
}

async function waitSettled(host: HostFile, id: string, deadline: number): Promise<TaskView> {
  for (;;) {
    const task = await call(host, 'tasks.get', { id });
    const isDone =
      (task.state === 'complete' || task.state === 'failed') &&
      task.tracks.every((t) => t.state === 'ready' || t.state === 'error');
    if (isDone) return task;
    if (Date.now() > deadline) throw new CliError(`task ${id} is still ${task.state}; try again later`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Asks KIE for the lossless WAV of every take that has none yet, and waits for the downloads. */
async function ensureLossless(
  host: HostFile,
  task: TaskView,
  takes: TrackView[],
  deadline: number,
  log: (line: string) => void,
): Promise<void> {
  const conversions = await call(host, 'tasks.list', { kind: 'wav', limit: 500 });
  for (const take of takes) {
    if (!take.audioId) continue;
    const existing = conversions.find(
      (c) => c.parentTaskId === task.id && c.parentAudioId === take.audioId && c.state !== 'failed',
    );
    const conversion =
      existing ??
      (await call(host, 'tasks.submit', { kind: 'wav', from: { taskId: task.id, audioId: take.audioId } }));
    if (!existing) log(`requested KIE's WAV of ${take.audioId} (task ${conversion.id})`);
    const done = await waitSettled(host, conversion.id, deadline);
    if (done.state === 'failed')
      log(`KIE's WAV conversion failed (${done.error?.message ?? 'no reason'}); using the MP3`);
  }
}

function followProgress(host: HostFile, exportId: string): () => void {
  const socket = new WebSocket(
    `${host.apiUrl.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(host.token)}`,
  );
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { name: string; payload: Events['export.progress'] };
    if (message.name !== 'export.progress' || message.payload.exportId !== exportId) return;
    const { done, total, phase } = message.payload;
    printProgress(`${phase} ${total ? Math.floor((100 * done) / total) : 0}%   `);
  });
  socket.on('error', () => undefined);
  return () => {
    socket.close();
    process.stderr.write('\r');
  };
}

function formatExport(result: ExportResultView): string {
  const lines = [
    `exported ${result.files.length} files to ${result.folder} (${result.format}, ${result.sampleRate} Hz, ${result.sampleCount} samples each)`,
  ];
  for (const file of result.files)
    lines.push(
      `  ${file.kind.padEnd(10)} ${file.name}${file.decodedFrom === 'wav' ? '  (from KIE WAV)' : ''}`,
    );
  if (result.mixdown)
    lines.push(
      `  mixdown peak ${result.mixdown.outputPeakDbfs.toFixed(1)} dBFS${result.mixdown.warning ? `: ${result.mixdown.warning}` : ''}`,
    );
  for (const warning of result.warnings) lines.push(`  note: ${warning}`);
  return lines.join('\n');
}

export async function runExportCommand(host: HostFile, args: string[]): Promise<void> {
  const { input, stems, isJson, isLossless, timeoutSec } = parseExportArgs(args);
  const log = (line: string) => printErr(line);
  const deadline = Date.now() + timeoutSec * 1000;
  let task = await call(host, 'tasks.get', { id: input.taskId });
  const trackIds = stems === null ? undefined : pickTracks(task, stems);
  if (isLossless) {
    const takes = task.tracks.filter(
      (t) => t.stem === 'take' && t.state === 'ready' && (!trackIds || trackIds.includes(t.id)),
    );
    await ensureLossless(host, task, takes, deadline, log);
    task = await call(host, 'tasks.get', { id: task.id });
  }
  const exportId = `cli-${process.pid}-${Date.now()}`;
  const stop = !isJson && process.stderr.isTTY ? followProgress(host, exportId) : () => undefined;
  try {
    const result = await call(host, 'export.run', { ...input, taskId: task.id, trackIds, exportId });
    if (isJson) printJson(result);
    else printOut(formatExport(result));
  } finally {
    stop();
  }
}
