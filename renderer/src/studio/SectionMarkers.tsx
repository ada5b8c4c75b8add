// The song's sections ([Verse], [Chorus] … from the take's lyrics) as flags on the ruler: click to
// jump to a section, double-click to loop it.
import type { SongSection } from '../../../shared/lyrics.ts';
import { useViewport } from './use-viewport.ts';
import type { Viewport } from './viewport.ts';

interface SectionMarkersProps {
  sections: SongSection[];
  viewport: Viewport;
  onJump: (section: SongSection) => void;
  onLoop: (section: SongSection) => void;
}

export function SectionMarkers({ sections, viewport, onJump, onLoop }: SectionMarkersProps) {
  useViewport(viewport);
  return (
    <>
      {sections.map((section) => (
        <button
          key={`${section.startSec}:${section.name}`}
          type="button"
          className="section-marker"
          data-testid="section-marker"
          style={{ left: viewport.xAt(section.startSec) }}
          title={`${section.name}: click to jump here, double-click to loop the section`}
          // The ruler seeks or starts a loop drag on pointer-down; a marker handles its own clicks.
          onPointerDown={(event) => event.stopPropagation()}
          onClick={() => onJump(section)}
          onDoubleClick={() => onLoop(section)}
        >
          {section.name}
        </button>
      ))}
    </>
  );
}
