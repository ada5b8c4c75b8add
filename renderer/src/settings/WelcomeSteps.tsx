// The three short pages of the welcome: demo mode explained, the API key, the public URL.
import { PublicUrlField } from './PublicUrlField.tsx';

export interface WelcomeAnswers {
  apiKey: string;
  route: 'ngrok' | 'manual' | 'polling';
  ngrokAuthtoken: string;
  ngrokDomain: string;
  publicUrl: string;
}

interface WelcomeStepsProps {
  step: number;
  mode: 'demo' | 'live';
  answers: WelcomeAnswers;
  urlError: string | null;
  /** Why the ngrok route cannot finish yet (no authtoken), shown under the field. */
  tokenError: string | null;
  onChange: (patch: Partial<WelcomeAnswers>) => void;
}

const ROUTES = [
  { value: 'ngrok', label: 'ngrok tunnel', detail: 'Free account; Stemhook opens it for the receiver only.' },
  {
    value: 'manual',
    label: 'My own public URL',
    detail: 'A reverse proxy or tunnel you run that reaches this computer.',
  },
  {
    value: 'polling',
    label: 'No public address',
    detail: 'Stemhook polls KIE; results arrive 5–30 s later.',
  },
] as const;

export function WelcomeSteps({ step, mode, answers, urlError, tokenError, onChange }: WelcomeStepsProps) {
  if (step === 0) {
    return (
      <div className="welcome">
        <p className="lead">
          Drop in a vocal, a beat or a song. Stemhook sends it to KIE&apos;s Suno API, follows every stage,
          downloads every file before the links expire, and opens the takes and stems in a multi-lane studio.
        </p>
        {mode === 'demo' ? (
          <div className="banner banner-info">
            <strong>You are in demo mode.</strong> There is no API key yet, so a built-in simulator of KIE
            answers instead: it makes synthetic audio, costs nothing and never leaves this computer.
            Everything else works for real.
          </div>
        ) : (
          <div className="banner banner-info">
            You are connected to KIE with your API key; every submission spends credits.
          </div>
        )}
      </div>
    );
  }
  if (step === 1) {
    return (
      <div className="welcome">
        <p>
          Paste your KIE API key (from kie.ai/api-key) to work with real results, or leave it empty to keep
          the demo.
        </p>
        <div className="field">
          <label htmlFor="welcome-key">KIE API key</label>
          <input
            id="welcome-key"
            type="password"
            autoComplete="off"
            value={answers.apiKey}
            onChange={(e) => onChange({ apiKey: e.currentTarget.value })}
            placeholder="Optional"
          />
          <div className="field-hint">
            Stored in the system keychain where there is one; never shown again.
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="welcome">
      <p>KIE reports progress by calling a public address. How should it reach this computer?</p>
      <fieldset className="choice-list">
        <legend className="visually-hidden">Public address</legend>
        {ROUTES.map((route) => (
          <label key={route.value} className={`choice${answers.route === route.value ? ' selected' : ''}`}>
            <input
              type="radio"
              name="route"
              value={route.value}
              checked={answers.route === route.value}
              onChange={() => onChange({ route: route.value })}
            />
            <span className="choice-text">
              <span className="choice-title">{route.label}</span>
              <span className="choice-detail">{route.detail}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {answers.route === 'ngrok' && (
        <div className="field-pair">
          <div className={`field${tokenError ? ' has-error' : ''}`}>
            <label htmlFor="welcome-ngrok">ngrok authtoken</label>
            <input
              id="welcome-ngrok"
              type="password"
              autoComplete="off"
              value={answers.ngrokAuthtoken}
              aria-invalid={Boolean(tokenError)}
              aria-describedby={tokenError ? 'welcome-ngrok-error' : undefined}
              onChange={(e) => onChange({ ngrokAuthtoken: e.currentTarget.value })}
            />
            {tokenError && (
              <div className="field-error" id="welcome-ngrok-error">
                {tokenError}
              </div>
            )}
          </div>
          <div className="field">
            <label htmlFor="welcome-domain">Reserved domain (optional)</label>
            <input
              id="welcome-domain"
              value={answers.ngrokDomain}
              placeholder="my-studio.ngrok.app"
              onChange={(e) => onChange({ ngrokDomain: e.currentTarget.value })}
            />
          </div>
        </div>
      )}
      {answers.route === 'manual' && (
        <PublicUrlField
          id="welcome-url"
          label="Public URL"
          value={answers.publicUrl}
          error={urlError}
          onChange={(publicUrl) => onChange({ publicUrl })}
        />
      )}
    </div>
  );
}
