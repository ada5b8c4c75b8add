// The export dialog as data: its choices (starting from the remembered `export.*` preferences) and
// the contract's ExportOptions they make, carrying the studio's current mix (pure).
import type { ExportFormat, ExportOptions, MixLaneSetting, SessionFormat } from '../../../shared/api.ts';
import type { LaneSpec } from './lanes.ts';
import { DEFAULT_LANE, type StudioState } from './mix-model.ts';

export interface ExportChoices {
  format: ExportFormat;
  rate: 'source' | '44100' | '48000';
  mixdown: 'none' | 'mix' | 'unity';
  sessions: SessionFormat[];
  outDir: string;
  /** Leave out lanes that are muted (or not soloed while others are). */
  isAudibleOnly: boolean;
  /** Add the split's residual (source − all stems) beside the stems. */
  includeResidual: boolean;
}

export function choicesFrom(preferences: Record<string, string>): ExportChoices {
  const format = preferences['export.format'];
  const rate = preferences['export.rate'];
  const mixdown = preferences['export.mixdown'];
  return {
    format: format === 'wav16' || format === 'wav32f' ? format : 'wav24',
    rate: rate === '44100' || rate === '48000' ? rate : 'source',
    mixdown: mixdown === 'mix' || mixdown === 'unity' ? mixdown : 'none',
    sessions: (preferences['export.sessions'] ?? '')
      .split(',')
      .filter((s): s is SessionFormat => s === 'dawproject' || s === 'rpp'),
    outDir: '',
    isAudibleOnly: false,
    includeResidual: false,
  };
}

/** The task's own downloaded lanes (the A/B source belongs to another task or is the upload). */
export function exportableLanes(lanes: LaneSpec[]): LaneSpec[] {
  return lanes.filter(
    (lane) => !lane.isSource && lane.kind !== 'residual' && lane.trackId !== null && lane.state === 'ready',
  );
}

export function hasReadyResidual(lanes: LaneSpec[]): boolean {
  return lanes.some((lane) => lane.kind === 'residual' && lane.state === 'ready');
}

export function toExportOptions(
  choices: ExportChoices,
  taskId: string,
  lanes: LaneSpec[],
  studio: StudioState,
  exportId: string,
): ExportOptions {
  const own = exportableLanes(lanes);
  const mix: MixLaneSetting[] = own.map((lane) => {
    const settings = studio.lanes[lane.id] ?? DEFAULT_LANE;
    return {
      trackId: lane.trackId ?? '',
      gainDb: settings.gainDb,
      isMuted: settings.isMuted,
      isSoloed: settings.isSoloed,
    };
  });
  const isAnySoloed = mix.some((m) => m.isSoloed);
  const audible = mix.filter((m) => !m.isMuted && (!isAnySoloed || m.isSoloed)).map((m) => m.trackId);
  return {
    taskId,
    format: choices.format,
    rate: choices.rate === 'source' ? 'source' : (Number(choices.rate) as 44100 | 48000),
    mixdown: choices.mixdown,
    sessions: choices.sessions,
    mix,
    exportId,
    ...(choices.isAudibleOnly ? { trackIds: audible } : {}),
    ...(choices.includeResidual && hasReadyResidual(lanes) ? { includeResidual: true } : {}),
    ...(choices.outDir.trim() ? { outDir: choices.outDir.trim() } : {}),
  };
}
