// Decides whether a result URL (and every redirect hop) may be fetched: KIE's HMAC does not cover
// callback bodies, so a forged URL must not turn the app into a probe of the user's own network.
import { lookup as dnsLookup } from 'node:dns/promises';
import { classifyAddress, type AddressClass } from './ip-ranges.ts';

export type UrlVerdict = { ok: true } | { ok: false; reason: string };

export interface UrlGuardOptions {
  /** Test/dev switch (STEMHOOK_ALLOW_LOOPBACK_DOWNLOADS=1): loopback only, never private ranges. */
  allowLoopback: boolean;
  /** Resolves a DNS name to address literals; rejecting means "could not resolve" (retry later). */
  lookup?: (host: string) => Promise<string[]>;
}

const CLASS_WORDS: Record<Exclude<AddressClass, 'public'>, string> = {
  loopback: 'a loopback (this computer) address',
  private: 'a private-network address',
  'link-local': 'a link-local address',
  unspecified: 'an unspecified (0.0.0.0/::) address',
  reserved: 'a reserved or multicast address',
};

export async function defaultLookup(host: string): Promise<string[]> {
  const answers = await dnsLookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

function refuse(reason: string): UrlVerdict {
  return { ok: false, reason };
}

/**
 * Refusals resolve `{ ok: false }`; a DNS failure rejects instead, because being offline is a
 * reason to retry, not a verdict on the URL. The check cannot stop DNS rebinding between this
 * lookup and the connection fetch makes; that would need a connect-time hook in the HTTP client.
 */
export async function checkDownloadUrl(url: string, options: UrlGuardOptions): Promise<UrlVerdict> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return refuse(`only https links are downloaded (got ${parsed.protocol})`);
  }
  if (parsed.username || parsed.password) return refuse('links carrying a user name or password are refused');
  const host = parsed.hostname.replace(/\.$/, '');
  if (host === '') return refuse('the link has no host');

  const isLocalhostName = host === 'localhost' || host.endsWith('.localhost');
  let addresses: string[];
  if (classifyAddress(host) !== null) addresses = [host];
  else if (isLocalhostName) addresses = ['127.0.0.1'];
  else addresses = await (options.lookup ?? defaultLookup)(host);
  if (addresses.length === 0) return refuse(`${host} did not resolve to any address`);

  let isAllLoopback = true;
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind === null) return refuse(`${host} resolved to something that is not an IP address`);
    if (kind === 'public') {
      isAllLoopback = false;
      continue;
    }
    if (kind === 'loopback' && options.allowLoopback) continue;
    const shown = address === host ? host : `${host} (${address})`;
    return refuse(`${shown} is ${CLASS_WORDS[kind]}`);
  }
  // Loopback is a test/dev server on an ephemeral port over plain HTTP. Public hosts must be
  // https on the default port: KIE's file hosts use 443, and refusing other ports keeps a
  // forged URL from aiming the app at arbitrary services on a public machine.
  if (isAllLoopback) return { ok: true };
  if (parsed.protocol !== 'https:') return refuse('only https links are downloaded');
  if (parsed.port !== '')
    return refuse(`https links on port ${parsed.port} are refused (only 443 is allowed)`);
  return { ok: true };
}
