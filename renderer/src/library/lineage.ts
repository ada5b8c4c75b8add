// The lineage of a task as a tree: source file -> task -> takes -> separations -> stems (pure).
import { STEM_LABELS } from '../../../shared/api.ts';
import type { TaskView } from '../../../shared/domain.ts';
import { formatClock, KIND_LABELS, STATE_LABELS, taskTitle } from '../common/format.ts';

export interface LineageNode {
  key: string;
  kind: 'source' | 'task' | 'take' | 'stems';
  label: string;
  detail: string;
  taskId: string | null;
  isCurrent: boolean;
  children: LineageNode[];
}

export function buildLineage(
  task: TaskView,
  parent: TaskView | null,
  childrenOf: (taskId: string) => TaskView[],
): LineageNode {
  const taskNode = (t: TaskView, depth: number): LineageNode => {
    const isSeparation = t.kind === 'separate_vocal' || t.kind === 'split_stem';
    const stems = t.tracks.map((track) => STEM_LABELS[track.stem]);
    const takes = t.tracks.filter((track) => track.stem === 'take');
    const children: LineageNode[] = isSeparation
      ? stems.length > 0
        ? [
            {
              key: `${t.id}:stems`,
              kind: 'stems',
              label: `${stems.length} stems`,
              detail: stems.join(', '),
              taskId: t.id,
              isCurrent: false,
              children: [],
            },
          ]
        : []
      : takes.map((take, index) => ({
          key: take.id,
          kind: 'take',
          label: `Take ${index + 1}`,
          detail: [
            take.durationSec ? formatClock(take.durationSec) : null,
            take.state === 'ready' ? 'saved' : take.state,
          ]
            .filter(Boolean)
            .join(' · '),
          taskId: t.id,
          isCurrent: false,
          children:
            depth > 2
              ? []
              : childrenOf(t.id)
                  .filter((c) => c.parentAudioId === take.audioId)
                  .map((c) => taskNode(c, depth + 1)),
        }));
    return {
      key: t.id,
      kind: 'task',
      label: taskTitle(t),
      detail: `${KIND_LABELS[t.kind]} · ${STATE_LABELS[t.state]}`,
      taskId: t.id,
      isCurrent: t.id === task.id,
      children,
    };
  };
  const top = parent ?? task;
  const root = taskNode(top, 0);
  if (!top.sourceName) return root;
  return {
    key: `${top.id}:source`,
    kind: 'source',
    label: top.sourceName,
    detail: 'source file',
    taskId: null,
    isCurrent: false,
    children: [root],
  };
}
