// `provenance.json`, written beside every export: where each file came from (task ids, operation,
// model, prompt and tags, the source upload's name and SHA-256, KIE's result URLs, dates) and how
// it was made (format, rate, dither, resampling, mix). Secrets never appear: request parameters
// are copied from an allow-list, so a callback URL with its path token cannot leak.
import type { MixdownReport } from './mixdown.ts';
import type { ExportPlan } from './plan.ts';
import { trackMeta } from './sources.ts';
import type { TaskRow } from '../store/index.ts';
import { BITS_PER } from './wav-header.ts';
import { RESIDUAL_LABEL } from '../../../shared/api.ts';

const OPERATIONS: Record<string, string> = {
  'add-instrumental': 'POST /api/v1/generate/add-instrumental',
  'add-vocals': 'POST /api/v1/generate/add-vocals',
  separate_vocal: 'POST /api/v1/vocal-removal/generate (separate_vocal)',
  split_stem: 'POST /api/v1/vocal-removal/generate (split_stem)',
  wav: 'POST /api/v1/wav/generate',
  midi: 'POST /api/v1/midi/generate',
};
const PARAM_KEYS = [
  'title',
  'tags',
  'negativeTags',
  'prompt',
  'style',
  'model',
  'vocalGender',
  'styleWeight',
  'weirdnessConstraint',
  'audioWeight',
  'type',
  'audioId',
];

const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

function describeTask(task: TaskRow) {
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(task.params) as Record<string, unknown>;
  } catch {
    params = {};
  }
  return {
    id: task.id,
    kieTaskId: task.kie_task_id,
    kind: task.kind,
    operation: OPERATIONS[task.kind] ?? task.kind,
    title: task.title,
    state: task.state,
    createdAt: iso(task.created_at),
    updatedAt: iso(task.updated_at),
    parameters: Object.fromEntries(
      PARAM_KEYS.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]),
    ),
    sourceFile: task.source_name ? { name: task.source_name, sha256: task.source_sha256 } : null,
  };
}

export interface ProvenanceExtras {
  exportedAt: number;
  appVersion: string;
  mixdown: MixdownReport | null;
}

export function buildProvenance(plan: ExportPlan, extras: ProvenanceExtras): Record<string, unknown> {
  const root = plan.lineage.find((t) => t.source_name) ?? null;
  const firstMeta = plan.stems.map((s) => trackMeta(s.track)).find((m) => m.modelName || m.tags || m.prompt);
  const params = describeTask(plan.task).parameters;
  const lineageParams = plan.lineage.map((t) => describeTask(t).parameters);
  const pick = (key: string) => lineageParams.map((p) => p[key]).find((v) => v !== undefined) ?? null;
  return {
    schema: 'stemhook.provenance/1',
    exportedAt: iso(extras.exportedAt),
    app: { name: 'Stemhook', version: extras.appVersion },
    title: plan.title,
    task: describeTask(plan.task),
    lineage: plan.lineage.slice(1).map(describeTask),
    summary: {
      operation: OPERATIONS[plan.task.kind] ?? plan.task.kind,
      model: firstMeta?.modelName ?? params.model ?? pick('model'),
      prompt: firstMeta?.prompt ?? pick('prompt'),
      tags: firstMeta?.tags ?? pick('tags') ?? pick('style'),
      negativeTags: pick('negativeTags'),
      tempoBpm: plan.tempoBpm,
      // The one export rule (musical-facts.ts): export option, correction, detection, style tags.
      tempo: plan.tempo,
      key: plan.key,
    },
    source: root ? { fileName: root.source_name, sha256: root.source_sha256, taskId: root.id } : null,
    format: {
      container: 'wav',
      sampleFormat: plan.options.format,
      bitDepth: BITS_PER[plan.sampleFormat],
      isFloat: plan.sampleFormat === 'float32',
      sampleRate: plan.sampleRate,
      rateSetting: plan.options.rate,
      sampleCount: plan.frames,
      durationSec: plan.frames / plan.sampleRate,
      dither:
        plan.sampleFormat === 'pcm16'
          ? 'TPDF +-1 LSB (blocks already exact in 16 bits copied as is)'
          : 'none',
      resampler: 'polyphase windowed sinc (Kaiser, 32 zero crossings), exact length round(n * out / in)',
      alignment:
        'every file starts at 0 and has the same sample count; shorter audio is padded with silence, never stretched',
    },
    files: plan.stems.map((stem) => ({
      name: stem.name,
      kind: 'stem',
      stem: stem.track.stem,
      label: stem.label,
      trackId: stem.track.id,
      audioId: stem.track.audio_id,
      kieResultUrl: stem.track.remote_url,
      decodedFrom: stem.decodedFrom,
      losslessTrackId: stem.audio.id === stem.track.id ? null : stem.audio.id,
      losslessResultUrl: stem.audio.id === stem.track.id ? null : stem.audio.remote_url,
      channels: stem.pcm.channels,
      originalSampleRate: stem.pcm.sampleRate,
      originalSampleCount: stem.pcm.sampleCount,
      sampleCount: plan.frames,
      mix: { gainDb: stem.gainDb, isMuted: stem.isMuted, isSoloed: stem.isSoloed },
    })),
    mixdown: plan.mixdown
      ? {
          name: plan.mixdown.name,
          mode: plan.options.mixdown,
          channels: plan.mixdown.channels,
          sampleCount: plan.frames,
          ...extras.mixdown,
        }
      : null,
    midi: plan.midi.map((m) => ({
      name: m.name,
      kind: 'midi',
      stem: m.stem,
      format: 'Standard MIDI File type 1, 960 PPQ',
      tempoBpm: plan.tempoBpm ?? 120,
      instruments: m.instruments.map((i) => ({ name: i.name, noteCount: i.notes.length })),
      transcribedBy: 'KIE MIDI generation (POST /api/v1/midi/generate)',
    })),
    residual: plan.residual
      ? {
          name: plan.residual.name,
          kind: 'residual',
          label: RESIDUAL_LABEL,
          derivedFrom:
            plan.residual.pcm.sourceResampledFrom === null
              ? 'the split source minus the sum of every stem, sample-exact from the PCM caches'
              : `the split source resampled from ${plan.residual.pcm.sourceResampledFrom} Hz to ${plan.residual.pcm.sampleRate} Hz (windowed sinc), minus the sum of every stem, from the PCM caches`,
          // Stems lag the source by this much; the residual sits on the stems' timeline.
          alignmentOffsetFrames: plan.residual.pcm.offsetFrames,
          alignmentOffsetMs:
            Math.round((plan.residual.pcm.offsetFrames / plan.residual.pcm.sampleRate) * 1e4) / 10,
          levelDbRelativeToSource: Math.round(plan.residual.pcm.levelDb * 10) / 10,
          channels: plan.residual.pcm.channels,
          originalSampleRate: plan.residual.pcm.sampleRate,
          originalSampleCount: plan.residual.pcm.sampleCount,
          sampleCount: plan.frames,
          mix: { gainDb: 0, isMuted: true, isSoloed: false },
        }
      : null,
    sessions: plan.sessions.map((s) => ({ name: s.name, format: s.format })),
    lyrics: plan.lyrics
      ? {
          name: plan.lrc?.name ?? null,
          takeTrackId: plan.lyrics.trackId,
          sections: plan.lyrics.sections.map((s) => ({ name: s.name, startSec: s.startSec })),
        }
      : null,
    warnings: plan.warnings,
  };
}
