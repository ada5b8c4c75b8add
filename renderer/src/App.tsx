// The window: top bar, the current view, the status bar, and the app-wide layers (drop zone,
// submit dialog, first-run welcome, notices); each view behind its own error boundary.
import { useEffect } from 'react';
import { listenToShell } from './app-shell-events.ts';
import { ErrorBoundary } from './common/ErrorBoundary.tsx';
import { InspectorView } from './inspector/InspectorView.tsx';
import { LibraryView } from './library/LibraryView.tsx';
import { Notices } from './common/Notices.tsx';
import { SettingsView } from './settings/SettingsView.tsx';
import { WelcomeDialog } from './settings/WelcomeDialog.tsx';
import { connectCache } from './state/queries.ts';
import { useUi } from './state/ui-store.ts';
import { KeyProblemBanner } from './status/KeyProblemBanner.tsx';
import { StatusBar } from './status/StatusBar.tsx';
import { StudioView } from './studio/StudioView.tsx';
import { DropZone } from './submit/DropZone.tsx';
import { SubmitDialog } from './submit/SubmitDialog.tsx';
import { TopBar } from './TopBar.tsx';

export function App() {
  useEffect(() => connectCache(), []);
  useEffect(() => listenToShell(), []);
  const view = useUi((ui) => ui.view);
  const isSubmitOpen = useUi((ui) => ui.isSubmitOpen);
  return (
    <div className="app">
      <TopBar />
      <KeyProblemBanner />
      <main className="main" id="main">
        {view === 'library' && (
          <ErrorBoundary name="The library" className="view-crashed">
            <LibraryView />
          </ErrorBoundary>
        )}
        <ErrorBoundary name="The studio" className="view-crashed">
          <StudioView isActive={view === 'studio'} />
        </ErrorBoundary>
        {view === 'inspector' && (
          <ErrorBoundary name="The callback inspector" className="view-crashed">
            <InspectorView />
          </ErrorBoundary>
        )}
        {view === 'settings' && (
          <ErrorBoundary name="Settings" className="view-crashed">
            <SettingsView />
          </ErrorBoundary>
        )}
      </main>
      <StatusBar />
      <DropZone />
      {isSubmitOpen && <SubmitDialog />}
      <WelcomeDialog />
      <Notices />
    </div>
  );
}
