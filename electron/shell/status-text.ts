// The plain-words line the shell shows for the host's connection state (menu, logs): tunnel online,
// offline and why, a manual URL, or polling only, unless the library cannot be written (disk full,
// database busy). Every case says tasks still complete.
import type { HostStatus } from '../../shared/api.ts';

export function describeHostStatus(status: HostStatus): string {
  // Nothing else matters while the library cannot be written: say that first.
  if (status.storage.message) return status.storage.message;
  if (status.mode === 'demo')
    return 'Demo mode: tasks run against the built-in KIE simulator on this computer.';
  const { tunnel } = status;
  if (tunnel.state === 'online' && status.publicUrl)
    return `Tunnel online: KIE calls back at ${status.publicUrl}.`;
  if (tunnel.state === 'connecting')
    return 'Tunnel connecting… Meanwhile Stemhook polls KIE, so tasks still complete.';
  if (tunnel.state === 'offline') {
    return `Tunnel offline: ${tunnel.reason ?? 'no reason given'}. Stemhook polls KIE instead, so tasks still complete.`;
  }
  if (status.publicUrl) return `Callbacks go to your public URL ${status.publicUrl}.`;
  return 'Polling only: no ngrok authtoken or public URL is set, so Stemhook polls KIE for results. Tasks still complete, a little later.';
}
