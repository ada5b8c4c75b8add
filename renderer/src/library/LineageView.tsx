// Where a task came from and what was made from it, as a small tree; tasks in it can be selected.
import type { TaskView } from '../../../shared/domain.ts';
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { setUi } from '../state/ui-store.ts';
import { buildLineage, type LineageNode } from './lineage.ts';
import { loadedChildren } from './use-library.ts';

function Node({ node }: { node: LineageNode }) {
  const label = (
    <span className={`lineage-node lineage-${node.kind}${node.isCurrent ? ' current' : ''}`}>
      <span className="lineage-label">{node.label}</span>
      <span className="muted small">{node.detail}</span>
    </span>
  );
  return (
    <li>
      {node.kind === 'task' && !node.isCurrent && node.taskId ? (
        <button type="button" className="link-button" onClick={() => setUi({ selectedTaskId: node.taskId })}>
          {label}
        </button>
      ) : (
        label
      )}
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <Node key={child.key} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function LineageView({ task }: { task: TaskView }) {
  const parentId = task.parentTaskId;
  const parent = useQuery<TaskView>(parentId ? queryKeys.task(parentId) : null, () =>
    api.call['tasks.get']({ id: parentId ?? '' }),
  );
  const tree = buildLineage(task, parent.data ?? null, loadedChildren);
  return (
    <ul className="lineage" data-testid="lineage">
      <Node node={tree} />
    </ul>
  );
}
