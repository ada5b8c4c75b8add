// The files an export writes (or wrote), with what is already in the folder marked.
import type { ExportPlanView } from '../../../shared/api.ts';

const KINDS: Record<string, string> = {
  stem: 'stem',
  mixdown: 'mix',
  session: 'session',
  lyrics: 'lyrics',
  provenance: 'provenance',
};

export function ExportFiles({ plan }: { plan: ExportPlanView | null }) {
  if (!plan) return null;
  return (
    <ul className="export-files" aria-label="Files">
      {plan.files.map((file) => (
        <li key={file.path} className={file.exists ? 'exists' : undefined}>
          <span className="mono ellipsis">{file.name}</span>
          <span className="muted small">{KINDS[file.kind] ?? file.kind}</span>
          {file.exists && <span className="badge tone-warn">already there</span>}
        </li>
      ))}
    </ul>
  );
}
