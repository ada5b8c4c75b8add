// Turns export options into a complete plan before any byte is written: which lanes and sources,
// the common rate and length, every file name and path, what is already in the folder, and the
// numbered suffix that avoids it when asked to.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STEM_LABELS, type ExportOptions, type MixLaneSetting } from '../../../shared/api.ts';
import { exportFileName, titleFileName, withNumberSuffix } from '../../../shared/naming.ts';
import type { Store, TaskRow } from '../store/index.ts';
import { resolveOptions, type ResolvedOptions } from './presets.ts';
import { midiFilesFor, type PlannedMidiFile } from './midi-plan.ts';
import { resolveKey, resolveTempo, type KeyFact, type TempoFact } from './musical-facts.ts';
import { resampledLength } from './resampler.ts';
import { ExportError } from './errors.ts';
import { lyricsForExport, type ExportLyrics } from './lyrics-export.ts';
import { exportSongAnalysis } from './song-analysis.ts';
import { lineageOf, taskOrThrow, trackMeta, type LaneSource, type SourceFinder } from './sources.ts';
import type { SampleFormat } from './wav-header.ts';
import type { PcmSource } from './pcm-stream.ts';

export interface PlannedStem extends LaneSource {
  label: string;
  name: string;
  path: string;
  gainDb: number;
  isMuted: boolean;
  isSoloed: boolean;
}

export interface PlannedFile {
  name: string;
  path: string;
}

/** A split's residual cache (source − all stems), with how it was aligned, for sessions and provenance. */
export interface ResidualSource extends PcmSource {
  /** Stems lag the source by this many frames (negative: they lead). */
  offsetFrames: number;
  /** Residual energy relative to the source, in dB. */
  levelDb: number;
  /** The uploaded source's own rate when it was resampled to the stems' before subtracting. */
  sourceResampledFrom: number | null;
}

export interface ExportPlan {
  exportId: string;
  task: TaskRow;
  lineage: TaskRow[];
  title: string;
  options: ResolvedOptions;
  sampleFormat: SampleFormat;
  sampleRate: number;
  frames: number;
  folder: string;
  stems: PlannedStem[];
  mixdown: (PlannedFile & { channels: number }) | null;
  /** What the split left out (source − all stems), written like a stem when asked for. */
  residual: (PlannedFile & { pcm: ResidualSource }) | null;
  sessions: Array<PlannedFile & { format: 'dawproject' | 'rpp' }>;
  /** The take's lyrics (section markers in the sessions) and their `.lrc`, when it has any. */
  lyrics: ExportLyrics | null;
  lrc: PlannedFile | null;
  provenance: PlannedFile;
  /** `.mid` files beside the WAVs: one per transcribed instrument of an exported stem, and one with all. */
  midi: Array<PlannedFile & PlannedMidiFile>;
  tempoBpm: number | null;
  /** The song's tempo and key by the one export rule (musical-facts.ts); `tempoBpm` is `tempo.bpm`. */
  tempo: TempoFact;
  key: KeyFact;
  conflicts: string[];
  warnings: string[];
  /** The user chose the folder (outDir) rather than the default one. */
  isFolderChosen: boolean;
}

export const SAMPLE_FORMATS: Record<ResolvedOptions['format'], SampleFormat> = {
  wav24: 'pcm24',
  wav16: 'pcm16',
  wav32f: 'float32',
};

/** The rate most lanes have (ties: the higher), so the fewest lanes need resampling. */
export function commonRate(rates: number[]): number {
  const counts = new Map<number, number>();
  for (const r of rates) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 44100;
}

/** A fader at the bottom (-Infinity) is silence; absent or garbage is 0 dB; boosts stop at +36 dB. */
function toGainDb(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return 0;
  return Math.min(36, Math.max(-200, value));
}

function paramsOf(task: TaskRow): Record<string, unknown> {
  try {
    return JSON.parse(task.params) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function textParam(task: TaskRow, key: string): string | null {
  const value = paramsOf(task)[key];
  return typeof value === 'string' && value ? value : null;
}

export function planExport(
  store: Store,
  finder: SourceFinder,
  input: ExportOptions,
  fallbackDir: string,
  /** The split's residual cache, when `includeResidual` asked for it (computed by the caller). */
  residual: ResidualSource | null = null,
): ExportPlan {
  const options = resolveOptions(input, store.settings, fallbackDir);
  const task = taskOrThrow(store, input.taskId);
  const lineage = lineageOf(store, task);
  const title =
    lineage.map((t) => t.title ?? t.source_name?.replace(/\.[^.]+$/, '')).find(Boolean) ?? 'Untitled';
  const lanes = finder.lanes(task, input.trackIds, options.source === 'auto');
  const sampleRate =
    options.rate === 'source' ? commonRate(lanes.map((l) => l.pcm.sampleRate)) : options.rate;
  const frames = Math.max(
    ...[...lanes.map((l) => l.pcm), ...(residual ? [residual] : [])].map((pcm) =>
      resampledLength(pcm.sampleCount, pcm.sampleRate, sampleRate),
    ),
  );
  const folder = input.outDir ? resolve(input.outDir) : join(options.baseDir, titleFileName(title, ''));
  const mix = new Map<string, MixLaneSetting>((input.mix ?? []).map((m) => [m.trackId, m]));
  const useMix = options.mixdown !== 'unity';
  const lyrics =
    input.lrc === false && options.sessions.length === 0
      ? null
      : lyricsForExport(
          store,
          lineage,
          lanes.map((l) => l.track.id),
        );
  if (input.lrc === true && !lyrics)
    throw new ExportError('bad_request', 'This take has no lyrics from KIE, so there is no .lrc to export.');
  const taskLabels = finder.labels(task);
  const labels = lanes.map((l) => taskLabels.get(l.track.id) ?? STEM_LABELS[l.track.stem]);

  const midi =
    input.midi === false
      ? []
      : midiFilesFor(
          store,
          task,
          title,
          lanes.map((l, i) => ({ stem: l.track.stem, label: labels[i] as string })),
        );
  if (input.midi === true && midi.length === 0)
    throw new ExportError(
      'not_ready',
      'This task has no MIDI to export: transcribe the separation to MIDI first, or export without MIDI.',
    );
  const names = {
    stems: labels.map((label) => exportFileName(title, label, 'wav')),
    midi: midi.map((m) => m.name),
    mixdown: options.mixdown === 'none' ? null : exportFileName(title, 'Mix', 'wav'),
    residual: residual ? exportFileName(title, 'Residual', 'wav') : null,
    sessions: options.sessions.map((format) => ({ format, name: titleFileName(title, format) })),
    lrc: lyrics && input.lrc !== false ? titleFileName(title, 'lrc') : null,
    provenance: 'provenance.json',
  };
  const all = [
    ...names.stems,
    ...names.midi,
    ...(names.mixdown ? [names.mixdown] : []),
    ...(names.residual ? [names.residual] : []),
    ...names.sessions.map((s) => s.name),
    ...(names.lrc ? [names.lrc] : []),
    names.provenance,
  ];
  const existing = (n: number) =>
    all.map((name) => join(folder, withNumberSuffix(name, n))).filter((path) => existsSync(path));
  let suffix = 1;
  if (options.onConflict === 'suffix') while (existing(suffix).length > 0) suffix++;
  const conflicts = options.onConflict === 'overwrite' ? [] : existing(suffix);
  const file = (name: string): PlannedFile => ({
    name: withNumberSuffix(name, suffix),
    path: join(folder, withNumberSuffix(name, suffix)),
  });

  const stems = lanes.map((lane, i) => {
    const setting = useMix ? mix.get(lane.track.id) : undefined;
    return {
      ...lane,
      ...file(names.stems[i] as string),
      label: labels[i] as string,
      gainDb: toGainDb(setting?.gainDb),
      isMuted: setting?.isMuted === true,
      isSoloed: setting?.isSoloed === true,
    };
  });
  const warnings: string[] = [];
  for (const stem of stems) {
    if (stem.audio.is_near_silent === 1) warnings.push(`${stem.label} is near-silent.`);
    if (stem.pcm.sampleRate !== sampleRate)
      warnings.push(`${stem.label} was resampled from ${stem.pcm.sampleRate} Hz to ${sampleRate} Hz.`);
  }
  const meta = lanes.map((l) => trackMeta(l.track));
  const analysis = exportSongAnalysis(
    store,
    lineage,
    lanes.map((l) => l.track),
  );
  // An explicit tempo, then the producer's correction or the detected tempo, then the style tags.
  const tempo = resolveTempo({
    override: input.tempoBpm,
    analysis,
    tagTexts: [
      ...lineage.flatMap((t) => [textParam(t, 'tags'), textParam(t, 'style')]),
      ...meta.map((m) => m.tags),
    ],
  });
  return {
    exportId: input.exportId ?? randomUUID(),
    task,
    lineage,
    title,
    options,
    sampleFormat: SAMPLE_FORMATS[options.format],
    sampleRate,
    frames,
    folder,
    stems,
    mixdown: names.mixdown
      ? { ...file(names.mixdown), channels: Math.max(...lanes.map((l) => l.pcm.channels)) }
      : null,
    residual: names.residual && residual ? { ...file(names.residual), pcm: residual } : null,
    sessions: names.sessions.map((s) => ({ ...file(s.name), format: s.format })),
    lyrics,
    lrc: names.lrc ? file(names.lrc) : null,
    provenance: file(names.provenance),
    midi: midi.map((m) => ({ ...m, ...file(m.name) })),
    tempoBpm: tempo.bpm,
    tempo,
    key: resolveKey(analysis),
    conflicts,
    warnings,
    isFolderChosen: input.outDir !== undefined,
  };
}
