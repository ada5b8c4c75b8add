// A small drawn glyph per operation so the library can be scanned by eye (SVG: no font gaps).
import type { TaskKind } from '../../../shared/domain.ts';

const PATHS: Record<TaskKind, string> = {
  'add-instrumental': 'M3 13V7M6.5 13V4M10 13V8M13.5 13V5',
  'add-vocals': 'M8 2.5a2 2 0 0 1 2 2V8a2 2 0 0 1-4 0V4.5a2 2 0 0 1 2-2ZM4.5 7.5a3.5 3.5 0 0 0 7 0M8 11v2.5',
  separate_vocal: 'M8 13.5V8M8 8 4 3.5M8 8l4-4.5M2.5 3.5h3M10.5 3.5h3',
  split_stem: 'M3 3.5h10M3 6.5h10M3 9.5h10M3 12.5h10',
  wav: 'M2 8c1.5-4 3-4 4.5 0s3 4 4.5 0 2.5-3 3-2',
  midi: 'M2.5 4.5h4M5 8h5M8.5 11.5h5M2.5 2.5v11',
};

export function KindIcon({ kind }: { kind: TaskKind }) {
  return (
    <span className={`kind-icon kind-${kind}`} aria-hidden="true">
      <svg
        width="16"
        height="16"
        viewBox="0 0 16 16"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d={PATHS[kind]} />
      </svg>
    </span>
  );
}
