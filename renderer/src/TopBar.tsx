// The top bar: the app's name, the four views, the "New task" button and the demo-mode label.
import { useRef } from 'react';
import type { HostStatus } from '../../shared/api.ts';
import { api } from './api/window-api.ts';
import { queryKeys, useQuery } from './state/queries.ts';
import { openSubmit, setUi, useUi, type ViewName } from './state/ui-store.ts';
import { AUDIO_ACCEPT } from './submit/form-model.ts';

const VIEWS: Array<{ name: ViewName; label: string }> = [
  { name: 'library', label: 'Library' },
  { name: 'studio', label: 'Studio' },
  { name: 'inspector', label: 'Callbacks' },
  { name: 'settings', label: 'Settings' },
];

export function TopBar() {
  const view = useUi((ui) => ui.view);
  const picker = useRef<HTMLInputElement>(null);
  const status = useQuery<HostStatus>(queryKeys.hostStatus, () => api.call['host.status']({}));
  return (
    <header className="topbar">
      <div className="brand" aria-label="Stemhook">
        <span className="brand-mark" aria-hidden="true" />
        Stemhook
      </div>
      <nav className="tabs" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.name}
            type="button"
            className="tab"
            aria-current={view === v.name ? 'page' : undefined}
            onClick={() => setUi({ view: v.name })}
          >
            {v.label}
          </button>
        ))}
      </nav>
      <div className="topbar-end">
        {status.data?.mode === 'demo' && (
          <span
            className="pill pill-demo"
            title="No API key: a built-in simulator of KIE makes synthetic audio"
          >
            Demo mode · simulated KIE
          </span>
        )}
        <button type="button" className="button primary" onClick={() => picker.current?.click()}>
          New task…
        </button>
        <input
          ref={picker}
          type="file"
          accept={AUDIO_ACCEPT}
          className="visually-hidden"
          aria-label="Choose an audio file to submit"
          data-testid="file-picker"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) openSubmit(file);
            event.currentTarget.value = '';
          }}
        />
      </div>
    </header>
  );
}
