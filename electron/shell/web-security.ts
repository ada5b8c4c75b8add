// The window's security decisions as pure functions: which URLs are the app, which links may open
// in the OS browser, the Content-Security-Policy, and which permissions a page may ever get.
import { APP_SCHEME, AUDIO_SCHEME } from './contract-bridge.ts';

/** The app's own pages: `stemhook://app/...` and nothing else (not file://, not http://localhost). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app' && !parsed.username && !parsed.password
    );
  } catch {
    return false;
  }
}

/** A link the OS browser may open: plain https only, no credentials in it. Returns it normalised. */
export function externalLink(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password || !parsed.hostname) return null;
    return parsed.toString();
  } catch {
    return null;
  }
}

export type NavigationVerdict = { action: 'allow' } | { action: 'deny'; openExternally: string | null };

/** In-app navigation stays inside the app; an https link goes to the OS browser; anything else is dropped. */
export function judgeNavigation(url: string): NavigationVerdict {
  if (isAppUrl(url)) return { action: 'allow' };
  return { action: 'deny', openExternally: externalLink(url) };
}

/** Permissions are denied except writing plain text to the clipboard (copy a task id or URL). */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

/**
 * The window's policy. Media may come from https (KIE's stream URLs) and, in demo mode only, from
 * the simulator's loopback origin (`demoMediaOrigin`), which serves the demo's stream URLs.
 */
export const desktopCsp = (demoMediaOrigin: string | null = null): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `media-src 'self' blob: https: ${AUDIO_SCHEME}:${demoMediaOrigin ? ` ${demoMediaOrigin}` : ''}`,
    `connect-src 'self' ${AUDIO_SCHEME}:`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

export const DESKTOP_CSP = desktopCsp();
