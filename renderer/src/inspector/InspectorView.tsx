// The callback inspector: every raw callback KIE (or the simulator) sent, filterable, joined to its
// task, with the receiver's verdict, dedupe result and effect, and a replay into the app's handler.
import { useMemo, useState } from 'react';
import type { CallbackView } from '../../../shared/api.ts';
import type { TaskView } from '../../../shared/domain.ts';
import { taskTitle } from '../common/format.ts';
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { setUi, useUi } from '../state/ui-store.ts';
import { CallbackDetail } from './CallbackDetail.tsx';
import { CallbackList } from './CallbackList.tsx';
import { matches, type CallbackFilter } from './callback-model.ts';
import { VERDICTS } from './verdicts.ts';

const LIMIT = 500;
const RECENT = { limit: 200 };

export function InspectorView() {
  const taskId = useUi((ui) => ui.inspectorTaskId);
  const query = { taskId: taskId ?? undefined, limit: LIMIT };
  const callbacks = useQuery<CallbackView[]>(queryKeys.callbacks(query), () =>
    api.call['callbacks.list'](query),
  );
  const recent = useQuery<TaskView[]>(queryKeys.tasks(RECENT), () => api.call['tasks.list'](RECENT));
  const titles = useMemo(
    () => new Map((recent.data ?? []).map((task) => [task.id, taskTitle(task)])),
    [recent.data],
  );
  const [filter, setFilter] = useState<CallbackFilter>({ verdict: '', stage: '', text: '' });
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const shown = useMemo(
    () => (callbacks.data ?? []).filter((c) => matches(c, filter)),
    [callbacks.data, filter],
  );
  const selected = shown.find((c) => c.id === selectedId) ?? shown[0] ?? null;

  return (
    <div className="inspector">
      <section className="inspector-list" aria-label="Callbacks">
        <div className="toolbar">
          <input
            type="search"
            className="search"
            placeholder="Search body or task id"
            aria-label="Search callbacks"
            value={filter.text}
            onChange={(e) => setFilter({ ...filter, text: e.currentTarget.value })}
          />
          <select
            aria-label="Filter by verdict"
            value={filter.verdict}
            onChange={(e) => setFilter({ ...filter, verdict: e.currentTarget.value })}
          >
            <option value="">All verdicts</option>
            {Object.entries(VERDICTS).map(([value, v]) => (
              <option key={value} value={value}>
                {v.label}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by stage"
            value={filter.stage}
            onChange={(e) => setFilter({ ...filter, stage: e.currentTarget.value })}
          >
            <option value="">All stages</option>
            {['text', 'first', 'complete', 'error', 'separation'].map((stage) => (
              <option key={stage} value={stage}>
                {stage}
              </option>
            ))}
          </select>
          {taskId && (
            <button
              type="button"
              className="chip active"
              onClick={() => setUi({ inspectorTaskId: null })}
              aria-label="Show callbacks of all tasks"
            >
              One task ×
            </button>
          )}
          <span className="muted small count">{shown.length} shown</span>
        </div>
        {callbacks.error && <div className="banner banner-error">{callbacks.error.message}</div>}
        <CallbackList
          callbacks={shown}
          titles={titles}
          selectedId={selected?.id ?? null}
          onSelect={setSelectedId}
          isLoading={callbacks.isLoading && !callbacks.data}
        />
      </section>
      <aside className="inspector-detail" aria-label="Callback details">
        {selected ? (
          <CallbackDetail callback={selected} onReplayed={(id) => setSelectedId(id)} />
        ) : (
          <p className="muted pad">No callback selected.</p>
        )}
      </aside>
    </div>
  );
}
