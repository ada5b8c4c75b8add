// The status bar: where callbacks arrive (tunnel URL, or "polling only" and why), the credit balance,
// downloads in progress, and a storage fault (disk full, database busy) while there is one.
import { useEffect, useRef } from 'react';
import type { HostStatus } from '../../../shared/api.ts';
import { api } from '../api/window-api.ts';
import { cache, queryKeys, useQuery } from '../state/queries.ts';
import { formatCredits } from '../submit/costs.ts';

const CREDITS_REFRESH_MS = 120_000;

function receiverText(status: HostStatus): { text: string; tone: string; title: string } {
  if (status.mode === 'demo')
    return { text: 'Callbacks: built-in simulator', tone: 'ok', title: status.receiverUrl };
  if (status.publicUrl)
    return { text: `Callbacks via ${status.publicUrl}`, tone: 'ok', title: `Tunnel ${status.tunnel.state}` };
  if (status.tunnel.state === 'connecting') return { text: 'Tunnel connecting…', tone: 'warn', title: '' };
  const reason = status.tunnel.reason ?? 'no public URL';
  return {
    text: `Polling only · ${reason}`,
    tone: 'warn',
    title: 'KIE cannot reach this computer; results arrive by polling (5–30 s later).',
  };
}

export function StatusBar() {
  const status = useQuery<HostStatus>(queryKeys.hostStatus, () => api.call['host.status']({}));
  const credits = useQuery<{ credits: number }>(queryKeys.credits, () => api.call['credits.get']({}));
  const batch = useRef(0);
  useEffect(() => {
    const timer = setInterval(() => cache.invalidate((key) => key === queryKeys.credits), CREDITS_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const downloads = status.data?.downloads ?? { active: 0, queued: 0 };
  const pending = downloads.active + downloads.queued;
  // Progress of the current burst of downloads: how much of the largest backlog seen is done.
  batch.current = pending === 0 ? 0 : Math.max(batch.current, pending);
  const fraction = batch.current > 0 ? 1 - pending / batch.current : 1;
  const receiver = status.data ? receiverText(status.data) : null;

  const storage = status.data?.storage;

  return (
    <footer className="statusbar" aria-label="Status">
      {storage?.message ? (
        <span className="status-item tone-bad" role="alert" data-testid="storage-status">
          <span className="status-dot" aria-hidden="true" />
          {storage.message}
        </span>
      ) : null}
      {receiver ? (
        <span
          className={`status-item tone-${receiver.tone}`}
          title={receiver.title}
          data-testid="receiver-status"
        >
          <span className="status-dot" aria-hidden="true" />
          {receiver.text}
        </span>
      ) : (
        <span className="status-item muted">{status.error ? status.error.message : 'Connecting…'}</span>
      )}
      <span className="status-item" data-testid="downloads">
        {pending > 0 ? (
          <>
            Downloading {downloads.active} · {downloads.queued} queued
            <span className="mini-progress" aria-hidden="true">
              <span style={{ width: `${Math.round(fraction * 100)}%` }} />
            </span>
          </>
        ) : (
          <span className="muted">All files downloaded</span>
        )}
      </span>
      <button
        type="button"
        className="status-item link-button"
        title="Refresh the balance"
        onClick={() => cache.invalidate((key) => key === queryKeys.credits)}
        data-testid="credits"
      >
        {credits.data
          ? `${formatCredits(credits.data.credits)} credits`
          : credits.error
            ? credits.error.code === 'auth'
              ? 'API key rejected'
              : 'Credits unavailable'
            : 'Credits…'}
      </button>
    </footer>
  );
}
