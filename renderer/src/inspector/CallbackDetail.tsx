// One callback in full: verdict, dedupe, effect, the task it changed, headers and the raw body, and
// "Replay" to feed it through the app's own handler again.
import { useState } from 'react';
import type { CallbackView } from '../../../shared/api.ts';
import { api } from '../api/window-api.ts';
import { notify, setUi } from '../state/ui-store.ts';
import { effectText, prettyBody, summarize } from './callback-model.ts';
import { verdictOf } from './verdicts.ts';

export function CallbackDetail({
  callback,
  onReplayed,
}: {
  callback: CallbackView;
  onReplayed: (id: number) => void;
}) {
  const [isBusy, setIsBusy] = useState(false);
  const summary = summarize(callback);
  const verdict = verdictOf(callback.verdict);

  const replay = async () => {
    setIsBusy(true);
    const result = await api.call['callbacks.replay']({ id: callback.id });
    setIsBusy(false);
    if (!result.ok) return notify('error', result.error.message);
    notify('info', `Replayed #${callback.id}: ${effectText(result.value)}.`);
    onReplayed(result.value.id);
  };
  const taskId = callback.taskId;

  return (
    <div className="callback-detail" data-testid="callback-detail">
      <header className="details-header">
        <div className="eyebrow">
          Callback #{callback.id} · {new Date(callback.receivedAt).toLocaleString()}
        </div>
        <h2 className="details-title">
          {summary.stage} {summary.code !== null && <span className="muted">· code {summary.code}</span>}
        </h2>
        <div className="details-actions">
          <button type="button" className="button primary" disabled={isBusy} onClick={() => void replay()}>
            Replay into handler
          </button>
          {taskId && (
            <button
              type="button"
              className="button"
              onClick={() => setUi({ view: 'library', selectedTaskId: taskId })}
            >
              Open task
            </button>
          )}
        </div>
      </header>
      <dl className="facts">
        <dt>Signature</dt>
        <dd className={`tone-${verdict.tone}`}>{verdict.label}</dd>
        <dt>Dedupe</dt>
        <dd>{callback.isDuplicate ? 'Duplicate of an earlier delivery' : 'First delivery'}</dd>
        <dt>Effect</dt>
        <dd data-testid="callback-effect">{effectText(callback)}</dd>
        <dt>Answered</dt>
        <dd>HTTP {callback.httpStatus}</dd>
        <dt>KIE task</dt>
        <dd className="mono">{callback.kieTaskId ?? 'unknown'}</dd>
        {callback.replayOf !== null && (
          <>
            <dt>Replay of</dt>
            <dd>#{callback.replayOf}</dd>
          </>
        )}
        {summary.message && (
          <>
            <dt>Message</dt>
            <dd>{summary.message}</dd>
          </>
        )}
      </dl>
      <h3>Headers</h3>
      <table className="headers">
        <tbody>
          {Object.entries(callback.headers).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Body{callback.isTruncated ? ' (truncated)' : ''}</h3>
      <pre className="body-view">{prettyBody(callback.body)}</pre>
    </div>
  );
}
