// The stages a task went through, with clock times, time since submission and who reported each.
import type { TaskView } from '../../../shared/domain.ts';
import { formatSpan, stageOffsets } from '../common/format.ts';

const NAMES: Record<string, string> = {
  submitted: 'Submitted',
  text: 'Lyrics written',
  first: 'First take ready',
  complete: 'Complete',
  failed: 'Failed',
};
const SOURCES: Record<string, string> = { submit: 'you', callback: 'callback', 'record-info': 'polling' };

export function StageTimeline({ task }: { task: TaskView }) {
  const stages = stageOffsets(task);
  const isWaiting = task.state !== 'complete' && task.state !== 'failed';
  return (
    <ol className="timeline" data-testid="stage-timeline">
      {stages.map((stage, index) => (
        <li key={stage.name} className={`timeline-item timeline-${stage.name}`} data-stage={stage.name}>
          <span className="timeline-dot" aria-hidden="true" />
          <span className="timeline-name">{NAMES[stage.name] ?? stage.name}</span>
          <time className="muted small" dateTime={new Date(stage.at).toISOString()}>
            {new Date(stage.at).toLocaleTimeString()}
          </time>
          <span className="small">{index === 0 ? '' : `+${formatSpan(stage.offset)}`}</span>
          <span className="muted small">{SOURCES[task.stages[index]?.source ?? ''] ?? ''}</span>
        </li>
      ))}
      {isWaiting && (
        <li className="timeline-item waiting">
          <span className="timeline-dot pulse" aria-hidden="true" />
          <span className="timeline-name muted">Waiting for KIE…</span>
        </li>
      )}
    </ol>
  );
}
