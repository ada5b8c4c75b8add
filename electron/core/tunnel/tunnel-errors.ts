// Turns what the ngrok SDK throws into one line a producer can act on. ngrok's own messages are
// long, multi-line and may echo the authtoken, so only a cleaned first line ever leaves here.

const BY_CODE: Record<string, string> = {
  ERR_NGROK_105: 'the ngrok authtoken is not valid; copy it again from the ngrok dashboard',
  ERR_NGROK_106: 'the ngrok authtoken is not valid; copy it again from the ngrok dashboard',
  ERR_NGROK_107: 'the ngrok authtoken is not valid; copy it again from the ngrok dashboard',
  ERR_NGROK_4018: 'ngrok needs a verified account and its authtoken',
  ERR_NGROK_108: 'another ngrok agent already uses this account (the free plan allows one at a time)',
  ERR_NGROK_313: 'this ngrok account may not use that domain; reserve it in the ngrok dashboard or clear it',
  ERR_NGROK_320: 'that domain belongs to another ngrok account; reserve your own or clear it',
  ERR_NGROK_334: 'that ngrok domain is already online elsewhere; stop the other agent or clear the domain',
};

const NETWORK_HINTS: Array<[RegExp, string]> = [
  [
    /failed to establish tcp connection|connection refused|dns|lookup|resolve|network is unreachable/i,
    'cannot reach ngrok (no network, or a firewall blocks it)',
  ],
  [/tls handshake|certificate/i, 'cannot reach ngrok securely (a proxy or firewall interferes)'],
  [/timed? ?out/i, 'ngrok did not answer in time'],
];

function messageOf(error: unknown): { text: string; code: string | null } {
  if (error instanceof Error) {
    const code = (error as Error & { errorCode?: unknown }).errorCode;
    const fromText = /(ERR_NGROK_\d+)/.exec(error.message)?.[1] ?? null;
    return { text: error.message, code: typeof code === 'string' ? code : fromText };
  }
  return { text: String(error), code: /(ERR_NGROK_\d+)/.exec(String(error))?.[1] ?? null };
}

export function describeTunnelError(error: unknown, authtoken: string): string {
  const { text, code } = messageOf(error);
  const firstLine = (text.split('\n').find((line) => line.trim()) ?? '')
    .replace(/,?\s*error_code: ERR_NGROK_\d+\s*$/, '')
    .trim();
  const detail = authtoken ? firstLine.split(authtoken).join('[token]') : firstLine;
  let plain = code ? BY_CODE[code] : undefined;
  if (!plain) plain = NETWORK_HINTS.find(([pattern]) => pattern.test(detail))?.[1];
  const said = detail ? `ngrok said: ${detail}` : '';
  const words = plain ? [plain, said].filter(Boolean).join('; ') : said || 'ngrok failed without saying why';
  return `${words}${code ? ` [${code}]` : ''}`.slice(0, 300);
}
