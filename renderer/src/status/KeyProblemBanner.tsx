// A banner under the top bar when KIE rejects the API key at start (the credits check is the first
// call that uses it), so the producer learns it before submitting, not from "Credits unavailable".
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { setUi } from '../state/ui-store.ts';
import { errorParts } from '../submit/error-text.ts';

export function KeyProblemBanner() {
  const credits = useQuery<{ credits: number }>(queryKeys.credits, () => api.call['credits.get']({}));
  const problem = credits.error?.code === 'auth' ? errorParts(credits.error) : null;
  // Always rendered: the app's grid keeps a row for it, empty (zero height) when all is well.
  return (
    <div className="app-banner">
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="key-problem">
          <strong>{problem.headline}</strong> {problem.detail}
          <button type="button" className="button small" onClick={() => setUi({ view: 'settings' })}>
            Open Settings
          </button>
        </div>
      )}
    </div>
  );
}
