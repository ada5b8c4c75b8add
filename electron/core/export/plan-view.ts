// What a plan looks like from outside: the contract's plan view (every file with its format and
// whether it is in the way) and the session files' view of the stems.
import { RESIDUAL_LABEL, type ExportFileView, type ExportPlanView } from '../../../shared/api.ts';
import type { ExportPlan } from './plan.ts';
import { STEM_COLORS, type SessionInput } from './session-types.ts';
import { isDrumKit } from './general-midi.ts';
import { DRUM_CHANNEL } from './smf.ts';
import { BITS_PER } from './wav-header.ts';

export function toPlanView(plan: ExportPlan): ExportPlanView {
  const wav = (kind: 'stem' | 'mixdown' | 'residual', channels: number) => ({
    sampleCount: plan.frames,
    sampleRate: plan.sampleRate,
    channels,
    bitDepth: BITS_PER[plan.sampleFormat],
    kind,
  });
  const conflicts = new Set(plan.conflicts);
  const none = {
    trackId: null,
    stem: null,
    label: null,
    sampleCount: null,
    sampleRate: null,
    channels: null,
    bitDepth: null,
    decodedFrom: null,
  };
  const files: ExportFileView[] = [
    ...plan.stems.map((s) => ({
      ...wav('stem', s.pcm.channels),
      name: s.name,
      path: s.path,
      trackId: s.track.id,
      stem: s.track.stem,
      label: s.label,
      decodedFrom: s.decodedFrom,
      exists: conflicts.has(s.path),
    })),
    ...(plan.mixdown
      ? [
          {
            ...none,
            ...wav('mixdown', plan.mixdown.channels),
            name: plan.mixdown.name,
            path: plan.mixdown.path,
            label: 'Mix',
            exists: conflicts.has(plan.mixdown.path),
          },
        ]
      : []),
    ...(plan.residual
      ? [
          {
            ...none,
            ...wav('residual', plan.residual.pcm.channels),
            name: plan.residual.name,
            path: plan.residual.path,
            label: 'Residual (source − all stems)',
            exists: conflicts.has(plan.residual.path),
          },
        ]
      : []),
    ...plan.midi.map((m) => ({
      ...none,
      kind: 'midi' as const,
      name: m.name,
      path: m.path,
      stem: m.stem,
      exists: conflicts.has(m.path),
    })),
    ...plan.sessions.map((s) => ({
      ...none,
      kind: 'session' as const,
      name: s.name,
      path: s.path,
      exists: conflicts.has(s.path),
    })),
    ...(plan.lrc
      ? [
          {
            ...none,
            kind: 'lyrics' as const,
            name: plan.lrc.name,
            path: plan.lrc.path,
            exists: conflicts.has(plan.lrc.path),
          },
        ]
      : []),
    {
      ...none,
      kind: 'provenance' as const,
      name: plan.provenance.name,
      path: plan.provenance.path,
      exists: conflicts.has(plan.provenance.path),
    },
  ];
  return {
    exportId: plan.exportId,
    taskId: plan.task.id,
    folder: plan.folder,
    format: plan.options.format,
    sampleRate: plan.sampleRate,
    sampleCount: plan.frames,
    files,
    conflicts: plan.conflicts,
    warnings: plan.warnings,
  };
}

export function sessionInput(plan: ExportPlan): SessionInput {
  return {
    title: plan.title,
    tempoBpm: plan.tempoBpm,
    sampleRate: plan.sampleRate,
    appVersion: '',
    comment: `Exported by Stemhook from task ${plan.task.id} (KIE ${plan.task.kie_task_id}).`,
    markers: (plan.lyrics?.sections ?? []).map((s) => ({ name: s.name, timeSec: s.startSec })),
    tracks: [
      ...plan.stems.map((s) => ({
        name: s.label,
        fileName: s.name,
        channels: s.pcm.channels,
        sampleRate: plan.sampleRate,
        frames: plan.frames,
        gainDb: s.gainDb,
        isMuted: s.isMuted,
        isSoloed: s.isSoloed,
        color: STEM_COLORS[s.track.stem] ?? '#cccccc',
      })),
      // Last, so MIDI tracks keep their `underTrack` index. Muted, as in the studio (heard only when
      // soloed): the stems plus the residual add up to the source again.
      ...(plan.residual
        ? [
            {
              name: RESIDUAL_LABEL,
              fileName: plan.residual.name,
              channels: plan.residual.pcm.channels,
              sampleRate: plan.sampleRate,
              frames: plan.frames,
              gainDb: 0,
              isMuted: true,
              isSoloed: false,
              color: STEM_COLORS.residual ?? '#cccccc',
            },
          ]
        : []),
    ],
    midiTracks: plan.midi.flatMap((file) => {
      const underTrack = plan.stems.findIndex((s) => s.track.stem === file.stem);
      const instrument = file.instruments[0];
      if (file.stem === null || underTrack < 0 || !instrument) return [];
      return [
        {
          name: `${plan.stems[underTrack]?.label ?? ''} MIDI (${instrument.name})`,
          fileName: file.name,
          underTrack,
          channel: isDrumKit(instrument.name) ? DRUM_CHANNEL : 0,
          seconds: plan.frames / plan.sampleRate,
          notes: instrument.notes,
          color: STEM_COLORS[file.stem] ?? '#cccccc',
        },
      ];
    }),
  };
}
