// Drop an audio file anywhere on the window: a full-window target appears while dragging, and the
// dropped file opens the submit dialog.
import { useEffect, useState } from 'react';
import { notify, openSubmit } from '../state/ui-store.ts';
import { isAudioFile } from './form-model.ts';

function hasFiles(event: DragEvent): boolean {
  return [...(event.dataTransfer?.types ?? [])].includes('Files');
}

export function DropZone() {
  const [isOver, setIsOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth += 1;
      setIsOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setIsOver(false);
    };
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setIsOver(false);
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      if (isAudioFile(file)) openSubmit(file);
      else notify('error', `${file.name} does not look like audio. Drop a WAV, MP3, FLAC, AIFF or M4A file.`);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!isOver) return null;
  return (
    <div className="dropzone" aria-hidden="true">
      <div className="dropzone-card">
        <div className="dropzone-title">Drop to submit</div>
        <div className="muted">Add an instrumental, add vocals, or split into stems</div>
      </div>
    </div>
  );
}
