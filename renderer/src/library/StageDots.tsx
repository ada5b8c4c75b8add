// The four stages of a task as dots that fill in as they arrive; a failed task ends in a red dot.
import type { TaskView } from '../../../shared/domain.ts';

const STAGES = ['submitted', 'text', 'first', 'complete'] as const;
const LABELS: Record<(typeof STAGES)[number], string> = {
  submitted: 'Submitted',
  text: 'Text',
  first: 'First take',
  complete: 'Complete',
};

export function StageDots({ task }: { task: TaskView }) {
  const reached = new Set(task.stages.map((s) => s.name));
  const isSeparation = task.kind === 'separate_vocal' || task.kind === 'split_stem';
  const stages = isSeparation ? STAGES.filter((s) => s !== 'text' && s !== 'first') : STAGES;
  return (
    <span
      className="stage-dots"
      aria-label={`Stages: ${
        stages
          .filter((s) => reached.has(s))
          .map((s) => LABELS[s])
          .join(', ') || 'none'
      }`}
    >
      {stages.map((stage) => (
        <span key={stage} className={`dot${reached.has(stage) ? ' on' : ''}`} title={LABELS[stage]} />
      ))}
      {task.state === 'failed' && <span className="dot failed" title="Failed" />}
    </span>
  );
}
