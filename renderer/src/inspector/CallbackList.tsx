// The list of callbacks, newest first: time, stage, verdict, dedupe and the task it belongs to.
import type { CallbackView } from '../../../shared/api.ts';
import { isConflict, summarize } from './callback-model.ts';
import { verdictOf } from './verdicts.ts';

interface CallbackListProps {
  callbacks: CallbackView[];
  titles: Map<string, string>;
  selectedId: number | null;
  isLoading: boolean;
  onSelect: (id: number) => void;
}

export function CallbackList({ callbacks, titles, selectedId, isLoading, onSelect }: CallbackListProps) {
  if (isLoading) return <p className="muted pad">Loading…</p>;
  if (callbacks.length === 0)
    return <p className="muted pad">No callbacks yet. They appear here the moment KIE posts one.</p>;
  return (
    <ul className="callback-list" aria-label="Received callbacks">
      {callbacks.map((callback) => {
        const summary = summarize(callback);
        const verdict = verdictOf(callback.verdict);
        return (
          <li key={callback.id}>
            <button
              type="button"
              className={`callback-row${callback.id === selectedId ? ' selected' : ''}`}
              aria-current={callback.id === selectedId}
              onClick={() => onSelect(callback.id)}
              data-callback-id={callback.id}
            >
              <span className="mono small">{new Date(callback.receivedAt).toLocaleTimeString()}</span>
              <span className={`stage-tag stage-${summary.stage}`}>{summary.stage}</span>
              <span className={`badge tone-${verdict.tone}`}>{verdict.label}</span>
              <span className="small ellipsis" title={`KIE task ${callback.kieTaskId ?? 'unknown'}`}>
                {(callback.taskId && titles.get(callback.taskId)) ?? (
                  <span className="muted mono">{callback.kieTaskId ?? '—'}</span>
                )}
              </span>
              <span className="small">
                {callback.isDuplicate && <span className="badge">duplicate</span>}
                {isConflict(callback) && (
                  <span className="badge tone-bad" title="This signature already vouched for another body">
                    conflict
                  </span>
                )}
                {callback.replayOf !== null && (
                  <span className="badge badge-replay">replay of #{callback.replayOf}</span>
                )}
              </span>
              <span className="mono small muted">#{callback.id}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
