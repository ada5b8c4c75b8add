// Transient notices (submitted, saved, failed) in the corner, announced to screen readers.
import { dismissNotice, useUi } from '../state/ui-store.ts';

export function Notices() {
  const notices = useUi((ui) => ui.notices);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.tone}`}>
          <span>{notice.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => dismissNotice(notice.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
