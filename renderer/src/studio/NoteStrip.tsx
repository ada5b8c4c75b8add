// A small piano roll over a stem lane: the stem's transcribed notes on a canvas that follows the
// shared viewport (zoom and scroll), so notes sit under the waveform and the playhead they belong to.
import { memo, useEffect, useRef } from 'react';
import type { MidiNote } from '../../../shared/midi.ts';
import { noteRects } from './stem-midi.ts';
import type { Viewport } from './viewport.ts';

interface NoteStripProps {
  notes: readonly MidiNote[];
  color: string;
  viewport: Viewport;
  label: string;
}

export const NoteStrip = memo(function NoteStrip({ notes, color, viewport, label }: NoteStripProps) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const draw = () => {
      const ratio = window.devicePixelRatio || 1;
      const width = element.clientWidth;
      const height = element.clientHeight;
      if (element.width !== Math.round(width * ratio)) element.width = Math.round(width * ratio);
      if (element.height !== Math.round(height * ratio)) element.height = Math.round(height * ratio);
      const context = element.getContext('2d');
      if (!context) return;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, height);
      context.fillStyle = color;
      const view = { pxPerSec: viewport.pxPerSec(), scrollLeft: viewport.get().scrollLeft, width, height };
      const rects = noteRects(notes, view);
      for (const rect of rects) {
        context.globalAlpha = 0.45 + 0.55 * rect.velocity;
        context.fillRect(rect.x, rect.y, rect.width, rect.height);
      }
      element.dataset.drawnNotes = String(rects.length);
    };
    draw();
    const stop = viewport.subscribe(draw);
    const observer = new ResizeObserver(draw);
    observer.observe(element);
    return () => {
      stop();
      observer.disconnect();
    };
  }, [notes, color, viewport]);

  return (
    <canvas
      ref={canvas}
      className="note-strip"
      role="img"
      aria-label={`${label} MIDI notes (${notes.length})`}
      data-note-count={notes.length}
    />
  );
});
