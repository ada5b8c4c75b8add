// Classifies IP address literals into the ranges the download guard cares about, including IPv4
// addresses smuggled inside IPv6 forms (mapped, compatible, NAT64, 6to4).

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved';

/** Strict dotted quad only: URL parsing and DNS answers already normalise other IPv4 spellings. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** Returns the 16 bytes of an IPv6 literal (brackets and zone id allowed), or null. */
export function parseIPv6(text: string): number[] | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  s = s.replace(/%.*$/, '');
  if (!s.includes(':') || s.split('::').length > 2) return null;
  const toGroups = (part: string, isLast: boolean): number[] | null => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (isLast && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return null;
        groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const [headText = '', tailText] = s.split('::');
  const head = toGroups(headText, tailText === undefined);
  const tail = tailText === undefined ? [] : toGroups(tailText, true);
  if (!head || !tail) return null;
  const fill = 8 - head.length - tail.length;
  if (tailText === undefined ? fill !== 0 : fill < 1) return null;
  const groups = [...head, ...Array<number>(fill).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

export function classifyIPv4(b: readonly number[]): AddressClass {
  const [a = 0, b1 = 0] = b;
  if (a === 0) return 'unspecified'; // 0.0.0.0/8: Linux routes 0.0.0.0 to the local host
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b1 >= 16 && b1 <= 31) || (a === 192 && b1 === 168)) return 'private';
  if (a === 100 && b1 >= 64 && b1 <= 127) return 'private'; // carrier-grade NAT, 100.64/10
  if (a === 169 && b1 === 254) return 'link-local';
  if (a >= 224) return 'reserved'; // multicast, class E, broadcast
  if ((a === 192 && b1 === 0 && b[2] === 0) || (a === 198 && (b1 === 18 || b1 === 19))) return 'reserved';
  return 'public';
}

export function classifyIPv6(b: readonly number[]): AddressClass {
  const isZero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4At = (i: number) => b.slice(i, i + 4);
  if (isZero(0, 16)) return 'unspecified';
  if (isZero(0, 15) && b[15] === 1) return 'loopback';
  if (isZero(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyIPv4(v4At(12)); // ::ffff:a.b.c.d
  if (isZero(0, 12)) return classifyIPv4(v4At(12)); // deprecated IPv4-compatible ::a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (isZero(4, 12)) return classifyIPv4(v4At(12)); // NAT64 64:ff9b::/96 reaches the embedded IPv4
    return 'private'; // 64:ff9b:1::/48 local-use NAT64
  }
  if (b[0] === 0x20 && b[1] === 0x02) {
    return classifyIPv4(v4At(2)); // 6to4 2002::/16 tunnels to the embedded IPv4
  }
  const first = b[0] ?? 0;
  const second = b[1] ?? 0;
  if ((first & 0xfe) === 0xfc) return 'private'; // fc00::/7 unique local
  if (first === 0xfe && (second & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (first === 0xfe && (second & 0xc0) === 0xc0) return 'private'; // fec0::/10 old site-local
  if (first === 0xff) return 'reserved'; // multicast
  return 'public';
}

/** Classifies an IPv4 or IPv6 literal; null when the text is not an IP literal (a DNS name). */
export function classifyAddress(text: string): AddressClass | null {
  const v4 = parseIPv4(text);
  if (v4) return classifyIPv4(v4);
  const v6 = parseIPv6(text);
  return v6 ? classifyIPv6(v6) : null;
}
