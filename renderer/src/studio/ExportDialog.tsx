// Export from the studio: choices (remembered), the plan (every file, what is in the way), then the
// run with progress from `export.progress`, and where the files went.
import { useEffect, useMemo, useState } from 'react';
import type { Events, ExportPlanView, ExportResultView, SettingsView } from '../../../shared/api.ts';
import { exportZipUrl } from '../api/audio-url.ts';
import { downloadFile } from '../api/download-file.ts';
import { api } from '../api/window-api.ts';
import { Modal } from '../common/Modal.tsx';
import { queryKeys, useQuery } from '../state/queries.ts';
import { ExportChoicesForm } from './ExportChoicesForm.tsx';
import { choicesFrom, hasReadyResidual, toExportOptions, type ExportChoices } from './export-model.ts';
import { ExportFiles } from './ExportFiles.tsx';
import type { LaneSpec } from './lanes.ts';
import type { StudioState } from './mix-model.ts';

interface ExportDialogProps {
  taskId: string;
  lanes: LaneSpec[];
  studio: StudioState;
  onClose: () => void;
}

export function ExportDialog({ taskId, lanes, studio, onClose }: ExportDialogProps) {
  const settings = useQuery<SettingsView>(queryKeys.settings, () => api.call['settings.get']({}));
  const [choices, setChoices] = useState<ExportChoices | null>(null);
  const [plan, setPlan] = useState<ExportPlanView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Events['export.progress'] | null>(null);
  const [result, setResult] = useState<ExportResultView | null>(null);
  const [replaced, setReplaced] = useState<ReadonlySet<string> | null>(null);
  const [isZipping, setIsZipping] = useState(false);
  const exportId = useMemo(() => crypto.randomUUID(), []);
  useEffect(() => {
    if (settings.data && !choices) setChoices(choicesFrom(settings.data.preferences));
  }, [settings.data, choices]);
  const options = useMemo(
    () => (choices ? toExportOptions(choices, taskId, lanes, studio, exportId) : null),
    [choices, taskId, lanes, studio, exportId],
  );

  useEffect(() => {
    if (!options || result) return;
    const timer = setTimeout(() => {
      void api.call['export.plan'](options).then((planned) => {
        setPlan(planned.ok ? planned.value : null);
        setError(planned.ok ? null : planned.error.message);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [options, result]);

  useEffect(
    () =>
      api.onEvent((name, payload) => {
        if (name === 'export.progress' && (payload as Events['export.progress']).exportId === exportId)
          setProgress(payload as Events['export.progress']);
      }),
    [exportId],
  );

  const run = async (onConflict: 'ask' | 'suffix' | 'overwrite') => {
    if (!options) return;
    setProgress({ exportId, taskId, phase: 'stems', done: 0, total: 1, file: null, message: null });
    const outcome = await api.call['export.run']({ ...options, onConflict });
    setProgress(null);
    if (!outcome.ok) return setError(outcome.error.message);
    // Only an overwrite replaces files; a suffixed or fresh export wrote every file new.
    const inTheWay = onConflict === 'overwrite' ? (plan?.files ?? []).filter((f) => f.exists) : [];
    setReplaced(new Set(inTheWay.map((f) => f.path)));
    setResult(outcome.value);
  };

  const conflicts = plan?.conflicts.length ?? 0;
  const isRunning = progress !== null;
  return (
    <Modal title={result ? 'Exported' : 'Export stems'} onClose={isRunning ? undefined : onClose} wide>
      {result ? (
        <p className="lead">
          {result.files.length} files in <code className="path">{result.folder}</code>
          {result.mixdown?.warning && <span className="tone-warn small"> {result.mixdown.warning}</span>}
        </p>
      ) : (
        choices && (
          <ExportChoicesForm
            choices={choices}
            folder={plan?.folder ?? ''}
            hasResidual={hasReadyResidual(lanes)}
            onChange={(patch) => setChoices({ ...choices, ...patch })}
          />
        )
      )}
      {result ? <ExportFiles plan={result} replaced={replaced} /> : <ExportFiles plan={plan} />}
      {plan?.warnings.map((warning) => (
        <p key={warning} className="tone-warn small">
          {warning}
        </p>
      ))}
      {error && <div className="banner banner-error">{error}</div>}
      <footer className="dialog-footer">
        {progress ? (
          <div
            className="progress wide"
            role="progressbar"
            aria-label="Export"
            aria-valuenow={Math.round((progress.done / Math.max(1, progress.total)) * 100)}
          >
            <div
              className="progress-bar"
              style={{ width: `${(progress.done / Math.max(1, progress.total)) * 100}%` }}
            />
            <span>Writing {progress.phase}…</span>
          </div>
        ) : (
          <span className="muted small">
            {plan
              ? `${plan.files.length} files · ${plan.sampleRate / 1000} kHz · ${plan.format}`
              : 'Planning…'}
          </span>
        )}
        {result ? (
          <>
            {/* The desktop app reveals the folder; a browser takes the files home as one zip. */}
            {!api.startDrag && (
              <button
                type="button"
                className="button"
                disabled={isZipping}
                onClick={() => {
                  setIsZipping(true);
                  void downloadFile(
                    exportZipUrl(result.exportId),
                    'export.zip',
                    'The zip could not be made.',
                  ).finally(() => setIsZipping(false));
                }}
              >
                Download as zip
              </button>
            )}
            <button type="button" className="button primary" onClick={onClose}>
              Done
            </button>
          </>
        ) : (
          <>
            {conflicts > 0 && (
              <button
                type="button"
                className="button"
                disabled={isRunning}
                onClick={() => void run('overwrite')}
              >
                Replace {conflicts} existing
              </button>
            )}
            <button
              type="button"
              className="button primary"
              disabled={!plan || isRunning}
              onClick={() => void run(conflicts > 0 ? 'suffix' : 'ask')}
            >
              {conflicts > 0 ? 'Export as new copies' : 'Export'}
            </button>
          </>
        )}
      </footer>
    </Modal>
  );
}
