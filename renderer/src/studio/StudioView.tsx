// The studio view: the opened task's lanes, or a pointer to the library when none is open. It stays
// mounted while other views are shown, so playback continues while browsing.
import { setUi, useUi } from '../state/ui-store.ts';
import { Studio } from './Studio.tsx';

export function StudioView({ isActive }: { isActive: boolean }) {
  const taskId = useUi((ui) => ui.studioTaskId);
  if (!taskId) {
    if (!isActive) return null;
    return (
      <div className="studio-empty">
        <h2>Nothing open in the studio</h2>
        <p className="muted">Open a task from the library to audition its takes and stems side by side.</p>
        <button type="button" className="button primary" onClick={() => setUi({ view: 'library' })}>
          Go to the library
        </button>
      </div>
    );
  }
  return <Studio key={taskId} taskId={taskId} isActive={isActive} />;
}
