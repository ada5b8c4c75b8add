// The download URL guard and library paths: which links may be fetched, and where files may land.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDownloadUrl } from '../../electron/core/pipeline/url-guard.ts';
import { classifyAddress, parseIPv6 } from '../../electron/core/pipeline/ip-ranges.ts';
import { insideLibrary, trackPaths } from '../../electron/core/pipeline/library-paths.ts';

// A fake resolver: nothing leaves the machine, and unknown names fail like an offline lookup.
const DNS: Record<string, string[]> = {
  'file.aiquickdraw.com': ['104.21.3.4', '2606:4700:3030::6815:304'],
  'cdn1.suno.ai': ['151.101.1.1'],
  'rebind.example': ['93.184.216.34', '10.1.2.3'],
  'sneaky.example': ['::ffff:192.168.1.1'],
  'loop.example': ['127.0.0.1'],
  'empty.example': [],
};
const lookup = async (host: string) => {
  const answer = DNS[host];
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return answer;
};

const ALLOWED: Array<[string, boolean]> = [
  ['https://file.aiquickdraw.com/s/8a41_Vocals.mp3', false],
  ['https://cdn1.suno.ai/0b8e1c52.mp3?sig=abc', false],
  ['https://CDN1.SUNO.AI.:443/x.mp3', false],
  ['https://93.184.216.34/x.mp3', false],
  ['http://127.0.0.1:51234/x.mp3', true],
  ['https://127.0.0.1:8443/x.mp3', true],
  ['http://localhost:3000/x.mp3', true],
  ['http://[::1]:9000/x.mp3', true],
  ['http://[::ffff:127.0.0.1]/x.mp3', true],
  ['http://2130706433/x.mp3', true],
  ['http://0x7f.1/x.mp3', true],
  ['http://loop.example:8080/x.mp3', true],
];

const REFUSED: Array<[string, boolean, RegExp]> = [
  ['http://file.aiquickdraw.com/x.mp3', false, /only https/],
  ['http://file.aiquickdraw.com/x.mp3', true, /only https/],
  ['ftp://file.aiquickdraw.com/x.mp3', false, /only https links are downloaded \(got ftp:\)/],
  ['file:///etc/passwd', true, /only https/],
  ['not a url', false, /not a valid URL/],
  ['https://user:pw@file.aiquickdraw.com/x.mp3', false, /user name or password/],
  ['https://user@127.0.0.1/x.mp3', true, /user name or password/],
  ['https://file.aiquickdraw.com:8443/x.mp3', false, /port 8443/],
  ['https://127.0.0.1/x.mp3', false, /loopback/],
  ['http://localhost/x.mp3', false, /loopback/],
  ['http://2130706433/x.mp3', false, /loopback/],
  ['http://0x7f.1/x.mp3', false, /loopback/],
  ['http://017700000001/x.mp3', false, /loopback/],
  ['https://[::1]/x.mp3', false, /loopback/],
  ['https://[::ffff:127.0.0.1]/x.mp3', false, /loopback/],
  ['https://10.0.0.1/x.mp3', true, /private-network/],
  ['https://172.16.5.4/x.mp3', true, /private-network/],
  ['https://172.31.255.255/x.mp3', true, /private-network/],
  ['https://192.168.1.20/x.mp3', true, /private-network/],
  ['https://0xc0a80101/x.mp3', true, /private-network/],
  ['https://[fd12:3456::1]/x.mp3', true, /private-network/],
  ['https://[::ffff:10.0.0.1]/x.mp3', true, /private-network/],
  ['https://[::ffff:c0a8:101]/x.mp3', true, /private-network/],
  ['https://[64:ff9b::a00:1]/x.mp3', true, /private-network/],
  ['https://[2002:c0a8:101::1]/x.mp3', true, /private-network/],
  ['https://169.254.169.254/latest/meta-data', true, /link-local/],
  ['https://[fe80::1]/x.mp3', true, /link-local/],
  ['https://[::ffff:169.254.169.254]/x.mp3', true, /link-local/],
  ['https://0.0.0.0/x.mp3', true, /unspecified/],
  ['http://0/x.mp3', true, /unspecified/],
  ['https://[::]/x.mp3', true, /unspecified/],
  ['https://224.0.0.1/x.mp3', true, /reserved or multicast/],
  ['https://rebind.example/x.mp3', true, /rebind\.example \(10\.1\.2\.3\) is a private-network address/],
  ['https://sneaky.example/x.mp3', false, /private-network/],
  ['https://loop.example/x.mp3', false, /loopback/],
  ['https://empty.example/x.mp3', false, /did not resolve/],
];

describe('checkDownloadUrl', () => {
  it.each(ALLOWED)('allows %s (allowLoopback %s)', async (url, allowLoopback) => {
    expect(await checkDownloadUrl(url, { allowLoopback, lookup })).toEqual({ ok: true });
  });

  it.each(REFUSED)('refuses %s (allowLoopback %s)', async (url, allowLoopback, reason) => {
    const verdict = await checkDownloadUrl(url, { allowLoopback, lookup });
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });

  it('lets a failed lookup reject, so the caller retries instead of refusing for good', async () => {
    await expect(
      checkDownloadUrl('https://offline.example/x.mp3', { allowLoopback: false, lookup }),
    ).rejects.toThrow(/ENOTFOUND/);
  });

  it('answers loopback literals and localhost without asking DNS', async () => {
    const refuseLookup = async (): Promise<string[]> => {
      throw new Error('DNS must not be asked');
    };
    for (const url of ['http://127.0.0.1:1/a', 'http://localhost:1/a', 'http://[::1]:1/a']) {
      expect(await checkDownloadUrl(url, { allowLoopback: true, lookup: refuseLookup })).toEqual({
        ok: true,
      });
    }
  });
});

describe('ip ranges', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.1', 'public'],
    ['100.64.0.1', 'private'],
    ['127.255.255.254', 'loopback'],
    ['2606:4700::1', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'reserved'],
    ['example.com', null],
    ['1.2.3', null],
    ['1::2::3', null],
  ])('classifies %s as %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('parses IPv6 with an embedded IPv4 tail and rejects malformed forms', () => {
    expect(parseIPv6('::ffff:1.2.3.4')?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('1.2.3.4::1')).toBeNull();
    expect(parseIPv6('1:2:3:4:5:6:7::')).not.toBeNull();
  });
});

describe('library paths', () => {
  const root = join('/tmp', 'stemhook-library');

  it('builds the .part, .mp3 and ingest paths inside the task folder', () => {
    expect(trackPaths(root, 'task-1', 'abc-123')).toEqual({
      dir: join(root, 'task-1'),
      outBase: join(root, 'task-1', 'abc-123'),
      partPath: join(root, 'task-1', 'abc-123.mp3.part'),
      mp3Path: join(root, 'task-1', 'abc-123.mp3'),
    });
  });

  it.each([['..'], ['../x'], ['a/b'], ['a\\b'], [''], ['a.b'], ['x'.repeat(129)]])(
    'refuses the id %j',
    (id) => {
      expect(() => trackPaths(root, id, 'track')).toThrow(/unsafe id/);
      expect(() => trackPaths(root, 'task', id)).toThrow(/unsafe id/);
    },
  );

  it('refuses any path that resolves outside the library', () => {
    expect(() => insideLibrary(root, '..', 'etc')).toThrow(/leave the library/);
    expect(() => insideLibrary(root, '/etc/passwd')).toThrow(/leave the library/);
    expect(() => insideLibrary(root)).toThrow(/leave the library/);
    expect(insideLibrary(root, 'a', 'b')).toBe(join(root, 'a', 'b'));
  });
});
