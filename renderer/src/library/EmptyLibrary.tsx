// What an empty library says: how to start, or that the filter matched nothing.
import { openSubmit } from '../state/ui-store.ts';

export function EmptyLibrary({ isFiltered }: { isFiltered: boolean }) {
  if (isFiltered) return <p className="muted pad">No task matches this search.</p>;
  return (
    <div className="empty-library">
      <div className="empty-art" aria-hidden="true" />
      <h2>Drop an audio file anywhere to start</h2>
      <p className="muted">
        A vocal take to build a band around, a beat to sing on, or a song to split into stems.
      </p>
      <button type="button" className="button primary" onClick={() => openSubmit(null)}>
        Choose a file…
      </button>
    </div>
  );
}
