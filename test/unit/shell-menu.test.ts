// The app menu template, the connection status line, and which command-line arguments count as
// audio files handed to the app.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { HostStatus } from '../../shared/api.ts';
import { buildMenuTemplate, type MenuActions } from '../../electron/shell/menu.ts';
import { audioPathsFromArgv } from '../../electron/shell/open-files.ts';
import { pathToFileURL } from 'node:url';
import { describeHostStatus } from '../../electron/shell/status-text.ts';

function menu(platform: NodeJS.Platform, isDev = false) {
  const called: string[] = [];
  const actions: MenuActions = {
    openAudio: () => void called.push('openAudio'),
    checkTasks: () => void called.push('checkTasks'),
    showDataFolder: () => void called.push('showDataFolder'),
    showTunnelStatus: () => void called.push('showTunnelStatus'),
  };
  return { template: buildMenuTemplate({ platform, isDev, actions }), called };
}

const items = (entry: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] =>
  Array.isArray(entry?.submenu) ? entry.submenu : [];

describe('buildMenuTemplate', () => {
  it('has the usual menus, with the app menu on macOS only', () => {
    expect(menu('darwin').template.map((m) => m.role ?? m.label)).toEqual([
      'appMenu',
      '&File',
      'editMenu',
      '&View',
      'windowMenu',
      'help',
    ]);
    expect(menu('linux').template.map((m) => m.role ?? m.label)).toEqual([
      '&File',
      'editMenu',
      '&View',
      'windowMenu',
      'help',
    ]);
  });

  it('opens audio with Cmd/Ctrl+O and quits from File except on macOS', () => {
    const { template, called } = menu('win32');
    const file = items(template[0]);
    const open = file.find((i) => i.label === 'Open Audio…');
    expect(open?.accelerator).toBe('CmdOrCtrl+O');
    open?.click?.({} as never, undefined, {} as never);
    expect(called).toEqual(['openAudio']);
    expect(file.at(-1)?.role).toBe('quit');
    expect(items(menu('darwin').template[1]).at(-1)?.role).toBe('close');
  });

  it('offers developer tools only in development', () => {
    const roles = (isDev: boolean) => items(menu('linux', isDev).template[2]).map((i) => i.role);
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).not.toContain('toggleDevTools');
  });
});

describe('describeHostStatus', () => {
  const base: HostStatus = {
    mode: 'live',
    receiverUrl: 'http://127.0.0.1:1/kie/…',
    publicUrl: null,
    tunnel: { state: 'off', reason: null },
    pollingOnly: true,
    downloads: { active: 0, queued: 0 },
    storage: { state: 'ok', message: null, since: null },
  };

  it('says polling only, and that tasks still complete, when nothing public is set', () => {
    expect(describeHostStatus(base)).toMatch(/^Polling only: .*Tasks still complete/);
  });

  it('names the public URL, the offline reason, or demo mode', () => {
    expect(
      describeHostStatus({
        ...base,
        publicUrl: 'https://x.ngrok.app',
        tunnel: { state: 'online', reason: null },
      }),
    ).toBe('Tunnel online: KIE calls back at https://x.ngrok.app.');
    expect(
      describeHostStatus({
        ...base,
        tunnel: { state: 'offline', reason: 'the ngrok authtoken is not valid' },
      }),
    ).toMatch(/^Tunnel offline: the ngrok authtoken is not valid\. .*still complete/);
    expect(describeHostStatus({ ...base, publicUrl: 'https://me.example' })).toMatch(
      /public URL https:\/\/me\.example/,
    );
    expect(describeHostStatus({ ...base, mode: 'demo' })).toMatch(/^Demo mode/);
  });

  it("puts a storage fault first, in the core's own words", () => {
    const storage = { state: 'disk_full' as const, message: 'Disk full: free some space.', since: 1 };
    expect(describeHostStatus({ ...base, mode: 'demo', storage })).toBe('Disk full: free some space.');
  });
});

describe('audioPathsFromArgv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-argv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'folder.wav'));
  for (const name of ['vox.wav', 'Beat.MP3', 'notes.txt']) writeFileSync(join(dir, name), 'x');

  it('keeps existing audio files (relative ones from the launch folder), once each', () => {
    const argv = [
      '/opt/Stemhook/stemhook',
      '--no-sandbox',
      '.',
      'vox.wav',
      join(dir, 'Beat.MP3'),
      'notes.txt',
      'missing.flac',
      'folder.wav',
      'vox.wav',
    ];
    expect(audioPathsFromArgv(argv, dir)).toEqual([join(dir, 'vox.wav'), join(dir, 'Beat.MP3')]);
  });

  it('accepts file:// URLs as Linux desktop entries pass them (%U), spaces and all', () => {
    writeFileSync(join(dir, 'My Song #2.wav'), 'x');
    const argv = [
      '/opt/Stemhook/stemhook',
      pathToFileURL(join(dir, 'My Song #2.wav')).href,
      `file://localhost${pathToFileURL(join(dir, 'vox.wav')).pathname}`,
      'https://example.com/vox.wav',
      'file://otherhost/share/vox.wav',
      pathToFileURL(join(dir, 'notes.txt')).href,
    ];
    expect(audioPathsFromArgv(argv, dir)).toEqual([join(dir, 'My Song #2.wav'), join(dir, 'vox.wav')]);
  });

  it('ignores the executable itself even if it looks like audio', () => {
    expect(audioPathsFromArgv([join(dir, 'vox.wav')], dir)).toEqual([]);
  });
});
