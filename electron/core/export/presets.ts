// Remembered export presets: the `export.*` preferences (stored like every preference, as
// `pref.<key>` settings, so settings.get shows them) and how an export's options fall back to them.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ExportFormat, ExportOptions, ExportRate, SessionFormat } from '../../../shared/api.ts';
import type { SettingsStore } from '../store/index.ts';
import { ExportError } from './errors.ts';
import { folderTextProblem } from './folder.ts';

export const PRESET_KEYS = {
  format: 'export.format',
  rate: 'export.rate',
  sessions: 'export.sessions',
  mixdown: 'export.mixdown',
  source: 'export.source',
  dir: 'export.dir',
} as const;

const PREFIX = 'pref.';
const FORMATS: readonly ExportFormat[] = ['wav24', 'wav16', 'wav32f'];
const SESSIONS: readonly SessionFormat[] = ['dawproject', 'rpp'];
const MIXDOWNS = ['none', 'mix', 'unity'] as const;

export interface ResolvedOptions {
  format: ExportFormat;
  rate: ExportRate;
  sessions: SessionFormat[];
  mixdown: 'none' | 'mix' | 'unity';
  source: 'auto' | 'mp3';
  onConflict: 'ask' | 'suffix' | 'overwrite';
  /** The folder exports go under when no outDir is given. */
  baseDir: string;
}

export function defaultExportDir(): string {
  return join(homedir(), 'Music', 'Stemhook');
}

function parseRate(value: unknown): ExportRate | null {
  if (value === 'source') return 'source';
  const n = Number(value);
  return n === 44100 || n === 48000 ? n : null;
}

function bad(message: string): never {
  throw new ExportError('bad_request', message);
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The shape checks a JSON body needs before its values reach SQL or the file system. */
export function checkShape(input: ExportOptions): void {
  if (typeof input !== 'object' || input === null) bad('Export options must be an object');
  if (typeof input.taskId !== 'string' || !input.taskId) bad('Give the task to export (taskId)');
  if (input.trackIds !== undefined && !isStringArray(input.trackIds))
    bad('trackIds must be a list of track ids');
  if (input.sessions !== undefined && !isStringArray(input.sessions)) bad('sessions must be a list');
  const outDirProblem = input.outDir === undefined ? null : folderTextProblem(input.outDir);
  if (outDirProblem) bad(`${outDirProblem}. Choose another folder.`);
  if (input.exportId !== undefined && typeof input.exportId !== 'string') bad('exportId must be text');
  if (input.lrc !== undefined && typeof input.lrc !== 'boolean') bad('lrc must be true or false');
  if (input.midi !== undefined && typeof input.midi !== 'boolean') bad('midi must be true or false');
  const isMixValid =
    input.mix === undefined ||
    (Array.isArray(input.mix) &&
      input.mix.every((m) => typeof m === 'object' && m !== null && typeof m.trackId === 'string'));
  if (!isMixValid) bad('mix must be a list of { trackId, gainDb?, isMuted?, isSoloed? }');
}

export function resolveOptions(
  input: ExportOptions,
  settings: SettingsStore,
  fallbackDir: string,
): ResolvedOptions {
  checkShape(input);
  const pref = (key: string) => settings.get(`${PREFIX}${key}`);
  const format = input.format ?? (pref(PRESET_KEYS.format) as ExportFormat | null) ?? 'wav24';
  if (!FORMATS.includes(format))
    bad(`Unknown export format ${JSON.stringify(format)} (wav24, wav16 or wav32f)`);
  const rate =
    input.rate !== undefined ? parseRate(input.rate) : (parseRate(pref(PRESET_KEYS.rate)) ?? 'source');
  if (rate === null) bad(`Unknown sample rate ${JSON.stringify(input.rate)} (source, 44100 or 48000)`);
  const storedSessions = (pref(PRESET_KEYS.sessions) ?? '').split(',').filter(Boolean) as SessionFormat[];
  const sessions = [...new Set(input.sessions ?? storedSessions)];
  for (const s of sessions)
    if (!SESSIONS.includes(s)) bad(`Unknown session format ${JSON.stringify(s)} (dawproject or rpp)`);
  const mixdown = input.mixdown ?? (pref(PRESET_KEYS.mixdown) as ResolvedOptions['mixdown'] | null) ?? 'none';
  if (!MIXDOWNS.includes(mixdown))
    bad(`Unknown mixdown mode ${JSON.stringify(mixdown)} (none, mix or unity)`);
  const source = input.source ?? (pref(PRESET_KEYS.source) === 'mp3' ? 'mp3' : 'auto');
  if (source !== 'auto' && source !== 'mp3')
    bad(`Unknown source preference ${JSON.stringify(source)} (auto or mp3)`);
  const onConflict = input.onConflict ?? 'ask';
  if (!['ask', 'suffix', 'overwrite'].includes(onConflict))
    bad(`Unknown conflict policy ${JSON.stringify(onConflict)}`);
  if (input.tempoBpm !== undefined && !(input.tempoBpm >= 20 && input.tempoBpm <= 999))
    bad('Tempo must be between 20 and 999 BPM');
  const baseDir = pref(PRESET_KEYS.dir) || fallbackDir;
  const baseDirProblem = input.outDir === undefined ? folderTextProblem(baseDir) : null;
  if (baseDirProblem)
    bad(
      `${baseDirProblem}: set the export folder (export.dir) in Settings to an absolute folder, or clear it`,
    );
  return {
    format,
    rate,
    sessions,
    mixdown,
    source,
    onConflict,
    baseDir,
  };
}

/** After a successful export: the next one starts from the same choices. */
export function rememberOptions(
  settings: SettingsStore,
  options: ResolvedOptions,
  baseDir: string | null,
): void {
  settings.set(`${PREFIX}${PRESET_KEYS.format}`, options.format);
  settings.set(`${PREFIX}${PRESET_KEYS.rate}`, String(options.rate));
  settings.set(`${PREFIX}${PRESET_KEYS.sessions}`, options.sessions.join(','));
  settings.set(`${PREFIX}${PRESET_KEYS.mixdown}`, options.mixdown);
  settings.set(`${PREFIX}${PRESET_KEYS.source}`, options.source);
  if (baseDir) settings.set(`${PREFIX}${PRESET_KEYS.dir}`, baseDir);
}
