// Takes a lane out as an aligned WAV: dragged straight into a DAW in the desktop app (files rendered
// by export.prepareDrag, which the shell alone may drag), downloaded as a file in browser mode.
import { useState } from 'react';
import { authHeaders, api } from '../api/window-api.ts';
import { trackExportUrl } from '../api/audio-url.ts';
import { notify } from '../state/ui-store.ts';

const prepared = new Map<string, string>();

function prepare(trackId: string): void {
  if (prepared.has(trackId)) return;
  void api.call['export.prepareDrag']({ trackIds: [trackId] }).then((result) => {
    if (result.ok) for (const file of result.value.files) prepared.set(file.trackId, file.path);
  });
}

function fileName(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  return encoded ? decodeURIComponent(encoded) : fallback;
}

async function download(trackId: string, name: string): Promise<void> {
  const response = await fetch(trackExportUrl(trackId), { headers: authHeaders() }).catch(() => null);
  if (!response?.ok) {
    const body = (await response?.json().catch(() => null)) as { error?: { message?: string } } | null;
    notify('error', body?.error?.message ?? 'The WAV could not be prepared.');
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName(response.headers.get('content-disposition'), `${name}.wav`);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LaneExport({ trackId, name }: { trackId: string; name: string }) {
  const [isBusy, setIsBusy] = useState(false);
  const startDrag = api.startDrag;
  if (startDrag) {
    return (
      <span
        className="lane-export"
        draggable
        title={`Drag ${name} into your DAW`}
        aria-label={`Drag ${name} into your DAW`}
        onPointerEnter={() => prepare(trackId)}
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
        void download(trackId, name).finally(() => setIsBusy(false));
      }}
    >
      ⤓
    </button>
  );
}
