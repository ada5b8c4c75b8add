// Normalised form of the result files KIE announces, whatever payload family they came in.
import type { StemName } from '../domain.ts';
import type { MidiInstrument } from '../midi.ts';

export interface AnnouncedTrack {
  /** Identity within a task: the audioId for generated takes, the stem name for separations. */
  key: string;
  audioId: string | null;
  stem: StemName;
  title: string | null;
  url: string | null;
  streamUrl: string | null;
  imageUrl: string | null;
  durationSec: number | null;
  tags: string | null;
  prompt: string | null;
  modelName: string | null;
}

export type KieEvent =
  | { kind: 'pending' }
  | {
      kind: 'progress';
      stage: 'text' | 'first' | 'complete';
      tracks: AnnouncedTrack[];
      /** MIDI tasks: the transcription (empty when KIE found no notes). */
      midi?: MidiInstrument[];
    }
  | { kind: 'failure'; code: number | null; message: string };

export type PayloadFamily = 'music' | 'separation' | 'wav' | 'midi';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/** A generated take, from either the snake_case callback item or the camelCase record-info item. */
export function takeFromItem(item: Record<string, unknown>): AnnouncedTrack | null {
  const audioId = str(item.id);
  if (!audioId) return null;
  return {
    key: audioId,
    audioId,
    stem: 'take',
    title: str(item.title),
    url: str(item.audio_url) ?? str(item.audioUrl) ?? str(item.source_audio_url) ?? str(item.sourceAudioUrl),
    streamUrl: str(item.stream_audio_url) ?? str(item.streamAudioUrl),
    imageUrl: str(item.image_url) ?? str(item.imageUrl),
    durationSec: num(item.duration),
    tags: str(item.tags),
    prompt: str(item.prompt),
    modelName: str(item.model_name) ?? str(item.modelName),
  };
}

export function stemTrack(
  stem: StemName,
  url: string,
  audioId: string | null,
  durationSec: number | null,
): AnnouncedTrack {
  return {
    key: stem,
    audioId,
    stem,
    title: null,
    url,
    streamUrl: null,
    imageUrl: null,
    durationSec,
    tags: null,
    prompt: null,
    modelName: null,
  };
}
