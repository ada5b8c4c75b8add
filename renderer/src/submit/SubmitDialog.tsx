// The submit dialog: the file, the operation, its form with KIE's limits, the cost against the
// balance, upload progress, and KIE's errors in plain words.
import { useEffect, useRef, useState } from 'react';
import type { HostStatus } from '../../../shared/api.ts';
import { api } from '../api/window-api.ts';
import { formatBytes } from '../common/format.ts';
import { Modal } from '../common/Modal.tsx';
import { queryKeys, useQuery } from '../state/queries.ts';
import { notify, setUi, useUi } from '../state/ui-store.ts';
import { costText } from './costs.ts';
import { errorParts } from './error-text.ts';
import {
  defaultValues,
  operationKind,
  validateForm,
  withOperation,
  type FieldErrors,
  type FormValues,
} from './form-model.ts';
import { MusicFields } from './MusicFields.tsx';
import { OperationPicker } from './OperationPicker.tsx';
import { SeparationFields } from './SeparationFields.tsx';
import { useSubmission } from './use-submission.ts';

export function SubmitDialog() {
  const file = useUi((ui) => ui.submitFile);
  const [values, setValues] = useState<FormValues>(() => defaultValues(file?.name ?? 'audio'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isChecked, setIsChecked] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const submission = useSubmission(file);
  const credits = useQuery<{ credits: number }>(queryKeys.credits, () => api.call['credits.get']({}));
  const status = useQuery<HostStatus>(queryKeys.hostStatus, () => api.call['host.status']({}));
  const close = () => setUi({ isSubmitOpen: false, submitFile: null });

  useEffect(() => {
    if (isChecked) setErrors(validateForm(values));
  }, [values, isChecked]);

  const change = (patch: Partial<FormValues>) => setValues((v) => ({ ...v, ...patch }));
  const kind = operationKind(values);
  const cost = costText(kind, credits.data?.credits);

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const found = validateForm(values);
    setErrors(found);
    setIsChecked(true);
    if (Object.keys(found).length > 0) {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const task = await submission.submit(values);
    if (!task) return;
    notify(
      'success',
      `Sent "${task.title ?? file?.name}" to ${status.data?.mode === 'demo' ? 'the simulator' : 'KIE'}. Watch it arrive in the library.`,
    );
    setUi({ isSubmitOpen: false, submitFile: null, view: 'library', selectedTaskId: task.id });
  }

  const { phase } = submission;
  return (
    <Modal title="New task" onClose={submission.isBusy ? undefined : close} wide>
      <form ref={form} className="submit-form" onSubmit={onSubmit} noValidate aria-label="Submit a task">
        <div className="file-chip">
          <span className="file-icon" aria-hidden="true">
            ♪
          </span>
          <span className="file-name">{file?.name ?? 'No file'}</span>
          <span className="muted">{file instanceof File ? formatBytes(file.size) : ''}</span>
        </div>
        <OperationPicker
          value={values.operation}
          onChange={(operation) => setValues((v) => withOperation(v, operation))}
        />
        {values.operation === 'separate' ? (
          <SeparationFields values={values} onChange={change} />
        ) : (
          <MusicFields values={values} errors={errors} onChange={change} />
        )}
        {submission.error && (
          <div className="banner banner-error" role="alert">
            <strong>{errorParts(submission.error).headline}</strong> {errorParts(submission.error).detail}
          </div>
        )}
        <footer className="dialog-footer">
          <div className={`cost${cost.isShort ? ' short' : ''}`} data-testid="cost">
            {cost.text}
          </div>
          {phase.name === 'uploading' && (
            <div
              className="progress"
              role="progressbar"
              aria-label="Upload"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(phase.fraction * 100)}
            >
              <div className="progress-bar" style={{ width: `${phase.fraction * 100}%` }} />
              <span>Uploading {Math.round(phase.fraction * 100)}%</span>
            </div>
          )}
          {phase.name === 'sending' && <span className="muted">Sending…</span>}
          <button type="button" className="button" onClick={close} disabled={submission.isBusy}>
            Cancel
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={submission.isBusy || !file || cost.isShort}
          >
            {status.data?.mode === 'demo' ? 'Send to simulator' : 'Send to KIE'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
