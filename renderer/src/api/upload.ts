// Hands a dropped or picked file to the host before submission, with upload progress: in browser
// mode over POST /api/files (XMLHttpRequest, because fetch reports no upload progress).
import type { SubmitSource } from '../../../shared/api.ts';
import type { Result } from '../../../shared/result.ts';
import { api, authHeaders } from './window-api.ts';

interface StagedFile {
  fileId: string;
  name: string;
  size: number;
}

export function stageFile(file: File, onProgress: (fraction: number) => void): Promise<Result<SubmitSource>> {
  const path = api.getPathForFile?.(file);
  if (path) return Promise.resolve({ ok: true, value: { path } });
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/files?name=${encodeURIComponent(file.name)}`);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      try {
        const result = JSON.parse(xhr.responseText) as Result<StagedFile>;
        resolve(result.ok ? { ok: true, value: { fileId: result.value.fileId } } : result);
      } catch {
        resolve({ ok: false, error: { code: 'upload', message: `Upload failed (HTTP ${xhr.status})` } });
      }
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        error: { code: 'offline', message: 'Stemhook is not reachable; the file was not sent.' },
      });
    xhr.send(file);
  });
}
