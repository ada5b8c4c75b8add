// The public URL that KIE calls back (STEMHOOK_PUBLIC_URL or Settings), checked the same way by the
// core and the Settings form. https anywhere; plain http only for this computer, where a local KIE
// stand-in or a TLS-terminating proxy on the same machine forwards to us. Elsewhere http would
// carry callbacks in clear over the internet.

const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)([^\s]*)$/i;
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;
const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export type PublicUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export function checkPublicUrl(text: string): PublicUrlCheck {
  const trimmed = text.trim();
  const parts = URL_PARTS.exec(trimmed);
  if (!parts)
    return { ok: false, reason: `"${trimmed}" is not a URL (expected https://your-domain.example)` };
  const [, scheme = '', authority = '', rest = ''] = parts;
  if (authority.includes('@'))
    return { ok: false, reason: 'the public URL must not carry a user name or password' };
  const hostPort = HOST_PORT.exec(authority);
  if (!hostPort) return { ok: false, reason: `"${trimmed}" has no valid host name` };
  const protocol = scheme.toLowerCase();
  if (protocol !== 'https' && protocol !== 'http')
    return { ok: false, reason: `the public URL must start with https:// (got ${protocol}://)` };
  if (protocol === 'http' && !LOOPBACK_HOST.test(hostPort[1] ?? ''))
    return {
      ok: false,
      reason:
        'http:// is accepted only for this computer (localhost, 127.0.0.1, [::1]); KIE reaches you over the internet, which needs https://',
    };
  return { ok: true, url: `${protocol}://${authority.toLowerCase()}${rest}`.replace(/\/+$/, '') };
}
