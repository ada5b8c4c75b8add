// Desktop shell events into UI state: a clicked notification selects its task, a file opened with
// the app (Finder, Explorer, "Open with") opens the submit dialog for it.
import { api } from './api/window-api.ts';
import { openSubmit, setUi } from './state/ui-store.ts';

export function listenToShell(): () => void {
  if (!api.onShellEvent) return () => undefined;
  return api.onShellEvent((event) => {
    if (event.type === 'open-task') {
      setUi({ view: 'library', selectedTaskId: event.taskId });
      return;
    }
    const path = event.paths[0];
    if (path) openSubmit({ path, name: path.split(/[\\/]/).pop() ?? path });
  });
}
