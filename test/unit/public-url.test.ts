// The public callback URL: https anywhere, http only on this computer (a local KIE stand-in or a
// TLS-terminating proxy), with the reason in words for everything refused.
import { describe, expect, it } from 'vitest';
import { readHostConfig } from '../../electron/core/host/config.ts';
import { checkPublicUrl } from '../../shared/public-url.ts';

describe('checkPublicUrl', () => {
  it.each([
    ['https://hooks.example.com/', 'https://hooks.example.com'],
    ['https://hooks.example.com:8443/kie', 'https://hooks.example.com:8443/kie'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.5.6.7:9', 'http://127.5.6.7:9'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:4000', 'http://[::1]:4000'],
  ])('accepts %s', (text, url) => {
    expect(checkPublicUrl(text)).toEqual({ ok: true, url });
  });

  it.each([
    ['http://hooks.example.com', /accepted only for this computer/],
    ['http://192.168.1.10:8080', /accepted only for this computer/],
    ['http://127.0.0.1.evil.example', /accepted only for this computer/],
    ['ftp://hooks.example.com', /must start with https:\/\//],
    ['https://user:pw@hooks.example.com', /user name or password/],
    ['hooks.example.com', /is not a URL/],
  ])('refuses %s with the reason', (text, reason) => {
    const check = checkPublicUrl(text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('STEMHOOK_PUBLIC_URL goes through the same rule', () => {
    expect(readHostConfig({ STEMHOOK_PUBLIC_URL: 'http://127.0.0.1:9999/' }).publicUrl).toBe(
      'http://127.0.0.1:9999',
    );
    expect(() => readHostConfig({ STEMHOOK_PUBLIC_URL: 'http://example.com' })).toThrow(
      /^STEMHOOK_PUBLIC_URL: http:\/\/ is accepted only for this computer/,
    );
  });
});
