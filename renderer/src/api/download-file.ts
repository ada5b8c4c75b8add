// Saves what an authenticated local-API route answers as a file in the browser's downloads (browser
// mode: a lane's WAV, an export's zip); an error answer becomes one notice in plain words.
import { authHeaders } from './window-api.ts';
import { notify } from '../state/ui-store.ts';

function fileName(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  return encoded ? decodeURIComponent(encoded) : fallback;
}

export async function downloadFile(url: string, fallbackName: string, failure: string): Promise<void> {
  const response = await fetch(url, { headers: authHeaders() }).catch(() => null);
  if (!response?.ok) {
    const body = (await response?.json().catch(() => null)) as { error?: { message?: string } } | null;
    notify('error', body?.error?.message ?? failure);
    return;
  }
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = fileName(response.headers.get('content-disposition'), fallbackName);
  link.click();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}
