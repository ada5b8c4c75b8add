// Which notes each stem lane shows: the newest finished transcription that covers the stem (pure),
// and the strip's geometry: pitch range and note rectangles for the visible time span.
import type { StemName } from '../../../shared/domain.ts';
import type { MidiNote, MidiNotesView } from '../../../shared/midi.ts';

/** Transcriptions newest first → the notes of each stem (all instruments KIE placed on it). */
export function notesByStem(transcriptions: MidiNotesView[]): Map<StemName, MidiNote[]> {
  const byStem = new Map<StemName, MidiNote[]>();
  const claimedBy = new Map<StemName, string>();
  for (const view of transcriptions) {
    for (const instrument of view.instruments) {
      if (!instrument.stem) continue;
      const owner = claimedBy.get(instrument.stem);
      if (owner && owner !== view.taskId) continue;
      claimedBy.set(instrument.stem, view.taskId);
      byStem.set(instrument.stem, [...(byStem.get(instrument.stem) ?? []), ...instrument.notes]);
    }
  }
  return byStem;
}

export interface NoteRect {
  x: number;
  y: number;
  width: number;
  height: number;
  velocity: number;
}

/**
 * Rectangles for the notes visible in [0, width) given pixels per second and the scroll: pitch maps
 * to rows between the lowest and highest pitch (at least an octave), every note at least 1 px wide.
 */
export function noteRects(
  notes: readonly MidiNote[],
  view: { pxPerSec: number; scrollLeft: number; width: number; height: number },
): NoteRect[] {
  if (notes.length === 0 || view.pxPerSec <= 0) return [];
  let low = Infinity;
  let high = -Infinity;
  for (const n of notes) {
    low = Math.min(low, n.pitch);
    high = Math.max(high, n.pitch);
  }
  const middle = (low + high) / 2;
  const span = Math.max(12, high - low + 1);
  const bottom = middle - span / 2;
  const row = view.height / (span + 1);
  const rects: NoteRect[] = [];
  for (const n of notes) {
    const x = n.start * view.pxPerSec - view.scrollLeft;
    const width = Math.max(1, (n.end - n.start) * view.pxPerSec);
    if (x + width < 0 || x > view.width) continue;
    const y = view.height - (n.pitch - bottom + 1) * row;
    rects.push({ x, y, width, height: Math.max(2, row), velocity: n.velocity });
  }
  return rects;
}
