// The window's security decisions: which URLs are the app, which links leave for the OS browser,
// which permissions exist, and the Content-Security-Policy's essentials.
import { describe, expect, it } from 'vitest';
import {
  DESKTOP_CSP,
  desktopCsp,
  externalLink,
  isAppUrl,
  isPermissionAllowed,
  judgeNavigation,
} from '../../electron/shell/web-security.ts';

describe('isAppUrl', () => {
  it.each([
    ['stemhook://app/index.html', true],
    ['stemhook://app/', true],
    ['stemhook://app/index.html#/tasks/1', true],
    ['stemhook://evil/index.html', false],
    ['stemhook://user:pw@app/index.html', false],
    ['stemhook-audio://library/tracks/x/file', false],
    ['file:///work/main/out/renderer/index.html', false],
    ['http://127.0.0.1:5173/', false],
    ['https://app/', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('navigation and links', () => {
  it('keeps in-app navigation, sends https links to the OS browser, drops everything else', () => {
    expect(judgeNavigation('stemhook://app/index.html')).toEqual({ action: 'allow' });
    expect(judgeNavigation('https://docs.kie.ai/suno')).toEqual({
      action: 'deny',
      openExternally: 'https://docs.kie.ai/suno',
    });
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'stemhook://other/',
    ]) {
      expect(judgeNavigation(url)).toEqual({ action: 'deny', openExternally: null });
    }
  });

  it('refuses https links that carry credentials', () => {
    expect(externalLink('https://user:secret@example.com/')).toBeNull();
    expect(externalLink('https://example.com/a b')).toBe('https://example.com/a%20b');
  });
});

describe('permissions', () => {
  it('denies every permission except plain-text clipboard writes from the app itself', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'openExternal',
      'fullscreen',
      'clipboard-read',
      'hid',
      'serial',
    ]) {
      expect(isPermissionAllowed(permission, 'stemhook://app/index.html')).toBe(false);
    }
    expect(isPermissionAllowed('clipboard-sanitized-write', 'stemhook://app/index.html')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
  });
});

describe('DESKTOP_CSP', () => {
  it('allows only the app’s own scripts and the audio scheme, and no plugins, frames or inline script', () => {
    const directives = new Map(DESKTOP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'stemhook-audio:']);
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|http:|ws:/);
  });

  it('admits the demo simulator’s loopback origin for media only, and only when given', () => {
    const demo = desktopCsp('http://127.0.0.1:4321');
    const media = demo.split('; ').find((d) => d.startsWith('media-src')) ?? '';
    expect(media).toMatch(/ http:\/\/127\.0\.0\.1:4321$/);
    expect(demo.replace(media, '')).not.toMatch(/http:/);
    expect(desktopCsp()).toBe(DESKTOP_CSP);
  });
});
