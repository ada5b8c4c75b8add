// First run: what demo mode is, the KIE API key, and how callbacks will reach this computer. Shown
// until finished or skipped once (remembered as the `ui.welcomed` preference).
import { useState } from 'react';
import type { SettingsPatch, SettingsView } from '../../../shared/api.ts';
import { api } from '../api/window-api.ts';
import { Modal } from '../common/Modal.tsx';
import { queryKeys, useQuery } from '../state/queries.ts';
import { notify } from '../state/ui-store.ts';
import { validateNgrokAuthtoken, validatePublicUrl } from './settings-model.ts';
import { WelcomeSteps, type WelcomeAnswers } from './WelcomeSteps.tsx';

const WELCOMED = 'ui.welcomed';

export function WelcomeDialog() {
  const settings = useQuery<SettingsView>(queryKeys.settings, () => api.call['settings.get']({}));
  const [step, setStep] = useState(0);
  const [answers, setAnswers] = useState<WelcomeAnswers>({
    apiKey: '',
    route: 'ngrok',
    ngrokAuthtoken: '',
    ngrokDomain: '',
    publicUrl: '',
  });
  const [isDone, setIsDone] = useState(false);
  const [restart, setRestart] = useState(false);
  if (!settings.data || settings.data.preferences[WELCOMED] === '1' || isDone) return null;
  const mode = settings.data.mode;

  const finish = async (skip: boolean) => {
    const patch: SettingsPatch = { preferences: { [WELCOMED]: '1' } };
    if (!skip) {
      if (answers.apiKey.trim()) patch.apiKey = answers.apiKey.trim();
      if (answers.route === 'ngrok' && answers.ngrokAuthtoken.trim()) {
        patch.ngrokAuthtoken = answers.ngrokAuthtoken.trim();
        if (answers.ngrokDomain.trim()) patch.ngrokDomain = answers.ngrokDomain.trim();
      }
      if (answers.route === 'manual' && answers.publicUrl.trim()) patch.publicUrl = answers.publicUrl.trim();
    }
    const result = await api.call['settings.update'](patch);
    if (!result.ok) return notify('error', result.error.message);
    if (result.value.isRestartRequired) setRestart(true);
    else setIsDone(true);
  };

  if (restart) {
    return (
      <Modal title="Almost there" onClose={() => setIsDone(true)}>
        <p>
          Your settings are saved. Quit and start Stemhook again to switch from the demo to your KIE account.
        </p>
        <footer className="dialog-footer">
          <button type="button" className="button primary" onClick={() => setIsDone(true)}>
            Keep exploring the demo
          </button>
        </footer>
      </Modal>
    );
  }
  const urlError = answers.route === 'manual' ? validatePublicUrl(answers.publicUrl) : null;
  const tokenError = answers.route === 'ngrok' ? validateNgrokAuthtoken(answers.ngrokAuthtoken) : null;
  return (
    <Modal title="Welcome to Stemhook" onClose={() => void finish(true)} wide>
      <WelcomeSteps
        step={step}
        mode={mode}
        answers={answers}
        urlError={urlError}
        tokenError={tokenError}
        onChange={(patch) => setAnswers({ ...answers, ...patch })}
      />
      <footer className="dialog-footer">
        <span className="muted small">Step {step + 1} of 3</span>
        <button type="button" className="button" onClick={() => void finish(true)}>
          {mode === 'demo' ? 'Try the demo first' : 'Skip'}
        </button>
        {step > 0 && (
          <button type="button" className="button" onClick={() => setStep(step - 1)}>
            Back
          </button>
        )}
        {step < 2 ? (
          <button type="button" className="button primary" onClick={() => setStep(step + 1)}>
            Next
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={Boolean(urlError ?? tokenError)}
            onClick={() => void finish(false)}
          >
            Finish
          </button>
        )}
      </footer>
    </Modal>
  );
}
