// The transport's running clock. Its face is a canvas redrawn up to 30 times a second: a text write
// relays out the transport and made Blink allocate about 12 MB of garbage over 20 s of play (stream
// bench, memory dump), more than the 14 meters together. Its text (what a screen reader and the tests
// read) is exact whenever the song stands still and follows once a second while it plays.
import { useEffect, useRef } from 'react';
import { formatClock } from '../common/format.ts';
import { DISPLAY_INTERVAL_MS, useAnimationFrame } from './use-animation-frame.ts';
import { usePixelRatio } from './use-pixel-ratio.ts';

interface TransportClockProps {
  /** The song's length in seconds: the face is sized for its longest reading. */
  total: number;
  isPlaying: boolean;
  isActive: boolean;
  position: () => number;
}

interface Face {
  context: CanvasRenderingContext2D;
  ratio: number;
  colour: string;
  font: string;
}

export function TransportClock({ total, isPlaying, isActive, position }: TransportClockProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const face = useRef<Face | null>(null);
  const drawn = useRef('');
  const labelled = useRef({ text: '0:00.000', at: -Infinity });
  // The widest reading of this song (every digit as wide as a 0 in the monospaced font).
  const template = formatClock(total, true).replace(/\d/g, '0');
  // Fitted again on another screen's pixel ratio, so the face is never drawn stretched.
  const ratio = usePixelRatio();

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const fit = () => {
      const style = getComputedStyle(element);
      const font = `${style.fontSize} ${style.fontFamily}`;
      context.font = font;
      const width = Math.ceil(context.measureText(template).width) + 1;
      const height = Math.ceil((parseFloat(style.fontSize) || 15) * 1.3);
      element.style.width = `${width}px`;
      element.style.height = `${height}px`;
      element.width = Math.round(width * ratio);
      element.height = Math.round(height * ratio);
      face.current = { context, ratio, colour: style.color, font };
      drawn.current = '';
    };
    fit();
    // A web font that loads later is wider or narrower than the fallback measured first.
    let isMounted = true;
    void document.fonts?.ready.then(() => isMounted && fit());
    return () => {
      isMounted = false;
    };
  }, [template, ratio]);

  useAnimationFrame(
    () => {
      const seconds = position();
      const text = formatClock(seconds, true);
      const target = face.current;
      if (target && text !== drawn.current) {
        drawn.current = text;
        const { context, ratio, colour, font } = target;
        const width = context.canvas.width / ratio;
        const height = context.canvas.height / ratio;
        // Setting the canvas's size resets its state, so the scale, font and colour are set on every draw.
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        context.clearRect(0, 0, width, height);
        context.font = font;
        context.fillStyle = colour;
        context.textBaseline = 'middle';
        context.fillText(text, 0, height / 2);
      }
      // The text: exact while the song stands still (after a seek, a stop), once a second playing.
      const now = performance.now();
      const last = labelled.current;
      if (label.current && text !== last.text && (!isPlaying || now - last.at >= 1000)) {
        labelled.current = { text, at: now };
        label.current.textContent = text;
      }
    },
    isActive,
    DISPLAY_INTERVAL_MS,
  );

  return (
    <>
      <canvas ref={canvas} className="clock-face" aria-hidden="true" />
      <span ref={label} className="visually-hidden" data-testid="clock">
        0:00.000
      </span>
    </>
  );
}
