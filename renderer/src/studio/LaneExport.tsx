// Takes a lane out as an aligned WAV: dragged straight into a DAW in the desktop app (files rendered
// by export.prepareDrag, which the shell alone may drag), downloaded as a file in browser mode.
import { useState } from 'react';
import { api } from '../api/window-api.ts';
import { downloadFile } from '../api/download-file.ts';
import { trackExportUrl } from '../api/audio-url.ts';
import { notify } from '../state/ui-store.ts';

const prepared = new Map<string, string>();

function prepare(trackId: string): void {
  if (prepared.has(trackId)) return;
  void api.call['export.prepareDrag']({ trackIds: [trackId] }).then((result) => {
    if (result.ok) for (const file of result.value.files) prepared.set(file.trackId, file.path);
  });
}

async function announcePrepared(trackId: string, name: string): Promise<void> {
  const result = await api.call['export.prepareDrag']({ trackIds: [trackId] });
  if (!result.ok) return notify('error', result.error.message);
  const file = result.value.files[0];
  if (file) prepared.set(trackId, file.path);
  notify('success', `${name} is ready to drag, or take it from ${file?.path ?? 'the drag cache'}.`);
}

export function LaneExport({ trackId, name }: { trackId: string; name: string }) {
  const [isBusy, setIsBusy] = useState(false);
  const startDrag = api.startDrag;
  if (startDrag) {
    return (
      <span
        className="lane-export"
        role="button"
        // Reachable by Tab: a drag needs a pointer, so Enter prepares the WAV and says where it is.
        tabIndex={0}
        draggable
        title={`Drag ${name} into your DAW`}
        aria-label={`Drag ${name} into your DAW`}
        onPointerEnter={() => prepare(trackId)}
        onFocus={() => prepare(trackId)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' && event.key !== ' ') return;
          event.preventDefault();
          void announcePrepared(trackId, name);
        }}
        onDragStart={(event) => {
          event.preventDefault();
          const path = prepared.get(trackId);
          if (path) startDrag([path]);
          else prepare(trackId);
        }}
      >
        ⤓
      </span>
    );
  }
  return (
    <button
      type="button"
      className="lane-export"
      aria-label={`Download ${name} as WAV`}
      title="Download as an aligned WAV"
      disabled={isBusy}
      onClick={() => {
        setIsBusy(true);
        void downloadFile(trackExportUrl(trackId), `${name}.wav`, 'The WAV could not be prepared.').finally(
          () => setIsBusy(false),
        );
      }}
    >
      ⤓
    </button>
  );
}
