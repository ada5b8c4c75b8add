// One library row: operation, title and source file, live stages with times, takes/stems ready,
// age and how long KIE keeps the links.
import type { TaskView } from '../../../shared/domain.ts';
import {
  formatAge,
  formatSpan,
  KIND_LABELS,
  linkExpiry,
  readyCount,
  STATE_LABELS,
  taskTitle,
} from '../common/format.ts';
import { KindIcon } from './KindIcon.tsx';
import { StageDots } from './StageDots.tsx';

export function TaskRow({
  task,
  now,
  isSelected,
}: {
  task: TaskView | null;
  now: number;
  isSelected: boolean;
}) {
  if (!task) return <div className="task-row placeholder" aria-label="Loading" />;
  const { ready, total } = readyCount(task);
  const expiry = linkExpiry(task, now);
  const last = task.stages[task.stages.length - 1];
  const elapsed = last && task.stages[0] ? last.at - task.stages[0].at : 0;
  return (
    <div
      className={`task-row${isSelected ? ' selected' : ''}`}
      data-state={task.state}
      data-task-id={task.id}
    >
      <KindIcon kind={task.kind} />
      <div className="task-main">
        <div className="task-title" title={taskTitle(task)}>
          {taskTitle(task)}
        </div>
        <div className="task-sub">
          {KIND_LABELS[task.kind]}
          {task.sourceName && <> · {task.sourceName}</>}
          {task.parentTaskId && !task.sourceName && <> · from a take</>}
        </div>
      </div>
      <div className="task-stages">
        <StageDots task={task} />
        <span className={`state state-${task.state}`}>{STATE_LABELS[task.state]}</span>
        {task.stages.length > 1 && <span className="muted small">{formatSpan(elapsed)}</span>}
      </div>
      <div className="task-tracks small" title="Files downloaded">
        {total > 0 ? `${ready}/${total}` : '–'}
      </div>
      <div className="task-age small muted" title={new Date(task.createdAt).toLocaleString()}>
        {formatAge(task.createdAt, now)}
      </div>
      <div className={`task-expiry small tone-${expiry.tone}`}>{expiry.text}</div>
    </div>
  );
}
