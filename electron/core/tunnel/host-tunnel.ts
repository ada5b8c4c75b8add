// Decides whether a host opens an ngrok tunnel (live mode, a token, no manual public URL) and feeds
// every tunnel state into the core, which recomputes callback URLs and polls after a reconnect.
// Shared by `stemhook serve` and the desktop app so both behave the same.
import type { HostStatus } from '../../../shared/api.ts';
import { describeTunnelError } from './tunnel-errors.ts';
import { loadNgrokForwarder, startTunnel, type Forwarder, type Tunnel, type TunnelState } from './tunnel.ts';

interface TunnelSettings {
  authtoken: string | null;
  domain: string | null;
  publicUrl: string | null;
}

/** The slice of the core the tunnel talks to (the real core satisfies it). */
interface TunnelHost {
  mode: 'demo' | 'live';
  receiver: { port: number };
  tunnelConfig: TunnelSettings;
  setPublicUrl(url: string | null, state: HostStatus['tunnel']): void;
}

interface HostTunnelOptions {
  forwarder?: Forwarder | (() => Promise<Forwarder>);
  /** Overrides the settings the core read at start (tests). */
  settings?: Partial<TunnelSettings>;
  log?: (line: string) => void;
  /** Every public URL change, e.g. to rewrite host.json. */
  onUrl?: (url: string | null) => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
  connectTimeoutMs?: number;
}

type TunnelPlan = 'manual-url' | 'ngrok' | 'polling-only' | 'demo';

export function planTunnel(mode: 'demo' | 'live', settings: TunnelSettings): TunnelPlan {
  if (mode === 'demo') return 'demo';
  if (settings.publicUrl) return 'manual-url';
  return settings.authtoken ? 'ngrok' : 'polling-only';
}

export async function startHostTunnel(
  core: TunnelHost,
  options: HostTunnelOptions = {},
): Promise<Tunnel | null> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = { ...core.tunnelConfig, ...options.settings };
  const plan = planTunnel(core.mode, settings);
  if (plan === 'manual-url') log(`Callbacks go to the public URL ${settings.publicUrl}`);
  if (plan === 'polling-only')
    log('No public URL (set an ngrok authtoken or a public URL): polling only; KIE is polled for results.');
  if (plan !== 'ngrok' || !settings.authtoken) return null;

  const onState = (state: TunnelState): void => {
    core.setPublicUrl(state.url, { state: state.state, reason: state.reason });
    if (state.state === 'offline') log(`Tunnel offline (${state.reason}); polling KIE instead.`);
    if (state.state === 'online') log(`Tunnel online: ${state.url}`);
    options.onUrl?.(state.url);
  };
  let forwarder: Forwarder;
  try {
    forwarder =
      typeof options.forwarder === 'function'
        ? await options.forwarder()
        : (options.forwarder ?? (await loadNgrokForwarder()));
  } catch (error) {
    // The SDK's native part may be missing on an unusual platform: say so and keep polling.
    onState({
      state: 'offline',
      url: null,
      reason: `the ngrok library could not load: ${describeTunnelError(error, settings.authtoken)}`,
    });
    return null;
  }
  return startTunnel({
    port: core.receiver.port,
    authtoken: settings.authtoken,
    domain: settings.domain,
    forwarder,
    onState,
    retryBaseMs: options.retryBaseMs,
    retryMaxMs: options.retryMaxMs,
    connectTimeoutMs: options.connectTimeoutMs,
  });
}
