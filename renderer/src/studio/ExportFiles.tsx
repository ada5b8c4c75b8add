// The files an export writes (or wrote): before the run, what is already in the folder is marked;
// after it, every file is marked written, or replaced where it overwrote one that was there.
import type { ExportPlanView } from '../../../shared/api.ts';

const KINDS: Record<string, string> = {
  stem: 'stem',
  mixdown: 'mix',
  session: 'session',
  lyrics: 'lyrics',
  provenance: 'provenance',
};

export function ExportFiles({
  plan,
  replaced = null,
}: {
  plan: ExportPlanView | null;
  /** Set once the export ran: the paths it overwrote (empty when it replaced nothing). */
  replaced?: ReadonlySet<string> | null;
}) {
  if (!plan) return null;
  const isDone = replaced !== null;
  return (
    <ul className="export-files" aria-label="Files">
      {plan.files.map((file) => (
        <li key={file.path} className={!isDone && file.exists ? 'exists' : undefined}>
          <span className="mono ellipsis">{file.name}</span>
          <span className="muted small">{KINDS[file.kind] ?? file.kind}</span>
          {isDone ? (
            <span className="badge tone-ok" data-testid="file-outcome">
              {replaced.has(file.path) ? 'replaced' : 'written'}
            </span>
          ) : (
            file.exists && <span className="badge tone-warn">already there</span>
          )}
        </li>
      ))}
    </ul>
  );
}
