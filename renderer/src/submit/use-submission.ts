// The submission's life: hand the file to the host (with progress), then tasks.submit; errors come
// back as data for the dialog to show next to the fields or in a banner.
import { useState } from 'react';
import type { SubmitSource } from '../../../shared/api.ts';
import type { TaskView } from '../../../shared/domain.ts';
import type { ApiErrorBody, Result } from '../../../shared/result.ts';
import { stageFile } from '../api/upload.ts';
import { api } from '../api/window-api.ts';
import { cache, queryKeys } from '../state/queries.ts';
import type { SubmitFile } from '../state/ui-store.ts';
import { toSubmitInput, type FormValues } from './form-model.ts';

type SubmitPhase = { name: 'editing' } | { name: 'uploading'; fraction: number } | { name: 'sending' };

export function useSubmission(file: SubmitFile | null) {
  const [phase, setPhase] = useState<SubmitPhase>({ name: 'editing' });
  const [error, setError] = useState<ApiErrorBody | null>(null);
  // A staged file can be reused when the producer fixes a field after a KIE error.
  const [staged, setStaged] = useState<{ file: SubmitFile; source: SubmitSource } | null>(null);

  async function submit(values: FormValues): Promise<TaskView | null> {
    if (!file) return null;
    setError(null);
    let source = staged?.file === file ? staged.source : 'path' in file ? { path: file.path } : null;
    if (!source && file instanceof File) {
      setPhase({ name: 'uploading', fraction: 0 });
      const result = await stageFile(file, (fraction) => setPhase({ name: 'uploading', fraction }));
      if (!result.ok) {
        setPhase({ name: 'editing' });
        setError(result.error);
        return null;
      }
      source = result.value;
      setStaged({ file, source });
    }
    if (!source) return null;
    setPhase({ name: 'sending' });
    return finish(await api.call['tasks.submit'](toSubmitInput(values, source)));
  }

  function finish(result: Result<TaskView>): TaskView | null {
    setPhase({ name: 'editing' });
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    cache.invalidate((key) => key === queryKeys.credits || key.startsWith('tasks:'));
    return result.value;
  }

  return { phase, error, submit, isBusy: phase.name !== 'editing' };
}
