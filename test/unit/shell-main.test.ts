// Runs the real composition root (electron/main.ts) under Node with a fake 'electron' module, since
// no Electron binary can run here: the real host starts (demo mode, temp data dir), host.json lets
// the CLI in, the contract answers only the app's frame over IPC, the schemes serve the UI with a CSP
// and audio with ranges, a finished task notifies, a settings change restarts the host in place, and
// quitting shuts everything down.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_METHODS, type HostStatus } from '../../shared/api.ts';
import type { Result } from '../../shared/result.ts';
import type { TaskView } from '../../shared/domain.ts';
import { KEYCHAIN_FILE } from '../../electron/shell/keychain-vault.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { lockDataDir } from '../../electron/core/host/data-dir-lock.ts';
import { until } from '../helpers/until.ts';

const fake = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('../helpers/fake-electron.ts');
  return createFakeElectron({ appPath: process.cwd() });
});

vi.mock('electron', () => fake.electron);

const { state } = fake;
const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-main-'));
const signalsBefore = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };

const win = () => state.windows[0];
const trusted = () => ({ sender: win()?.webContents, senderFrame: win()?.webContents.mainFrame });
async function call<T>(method: string, input: unknown): Promise<Result<T>> {
  return (await state.handles.get(`api:${method}`)?.(trusted(), input)) as Result<T>;
}

beforeAll(async () => {
  vi.stubEnv('STEMHOOK_DATA_DIR', dataDir);
  vi.stubEnv('STEMHOOK_DEMO_AUDIO_SECONDS', '2');
  vi.stubEnv('STEMHOOK_DEMO_STAGE_MS', '60');
  for (const key of ['KIE_API_KEY', 'KIE_WEBHOOK_HMAC_KEY', 'NGROK_AUTHTOKEN', 'STEMHOOK_PUBLIC_URL'])
    vi.stubEnv(key, '');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  await import('../../electron/main.ts');
  await until(
    () => state.windows.length === 1 && state.handles.size >= API_METHODS.length,
    'the window and the contract',
  );
});

afterAll(async () => {
  if (state.exitCode === null) state.app.emit('before-quit', { preventDefault: () => undefined });
  await until(() => state.exitCode !== null, 'exit');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal))
      if (!signalsBefore[signal].includes(listener)) process.off(signal, listener);
  }
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('electron/main.ts under a fake Electron', () => {
  it('opens one sandboxed, isolated window on the app scheme with the CommonJS preload', () => {
    expect(win()?.options).toMatchObject({
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        preload: expect.stringMatching(/preload[/\\]preload\.cjs$/),
      },
    });
    expect((win()?.webContents.mainFrame as { url: string }).url).toBe('stemhook://app/index.html');
    expect(state.sent).toContainEqual(['setPath', 'userData', join(dataDir, 'electron')]);
  });

  it('answers the contract for its own frame only', async () => {
    const status = await call<HostStatus>('host.status', {});
    expect(status).toMatchObject({ ok: true, value: { mode: 'demo' } });
    const other = await state.handles.get('api:host.status')?.({ sender: {}, senderFrame: {} }, {});
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('writes host.json so the CLI reaches the running app over the local API', async () => {
    const host = JSON.parse(readFileSync(join(dataDir, 'host.json'), 'utf8')) as {
      pid: number;
      apiUrl: string;
      token: string;
    };
    expect(host.pid).toBe(process.pid);
    const response = await fetch(`${host.apiUrl}/call/host.status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
      body: '{}',
    });
    expect(await response.json()).toMatchObject({ ok: true, value: { mode: 'demo' } });
  });

  it('serves the UI with a strict CSP and refuses paths out of it', async () => {
    const serve = state.schemes.get('stemhook');
    const page = await serve?.(new Request('stemhook://app/index.html'));
    expect(page?.status).toBe(200);
    expect(page?.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = (await page?.text()) ?? '';
    expect(html).toContain('<div id="root">');
    expect(html).toMatch(
      /<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self';/,
    );
    expect((await serve?.(new Request('stemhook://app/%2e%2e%2fpackage.json')))?.status).toBe(403);
    expect((await serve?.(new Request('stemhook://evil/index.html')))?.status).toBe(404);
  });

  it('runs a dropped file to a finished task, notifies once, and streams its audio with ranges', async () => {
    const path = await writeToneMp3(join(dataDir, 'drop.mp3'), { seconds: 1 });
    const submitted = await call<TaskView>('tasks.submit', { kind: 'separate_vocal', source: { path } });
    expect(submitted.ok).toBe(true);
    const id = submitted.ok ? submitted.value.id : '';
    const done = await until(async () => {
      const got = await call<TaskView>('tasks.get', { id });
      return (
        got.ok &&
        got.value.state === 'complete' &&
        got.value.tracks.every((t) => t.state === 'ready') &&
        got.value
      );
    }, 'task complete');
    const note = await until(() => state.notes.find((n) => n.title.startsWith('Ready:')), 'a notification');
    expect(note.body).toBe('2 tracks ready.');
    note.emit('click');
    expect(state.sent).toContainEqual(['shell:event', { type: 'open-task', taskId: id }]);

    const audio = state.schemes.get('stemhook-audio');
    const trackId = done.tracks[0]?.id ?? '';
    const ranged = await audio?.(
      new Request(`stemhook-audio://library/tracks/${trackId}/pcm16`, { headers: { range: 'bytes=0-99' } }),
    );
    expect(ranged?.status).toBe(206);
    expect(ranged?.headers.get('access-control-allow-origin')).toBe('stemhook://app');
    expect((await ranged?.arrayBuffer())?.byteLength).toBe(100);
    expect((await audio?.(new Request('stemhook-audio://library/files/..%2Fstemhook.db')))?.status).toBe(403);
  });

  it('applies a settings change that needs a restart in place, keeping the secret in the keychain file', async () => {
    const before = await call<HostStatus>('host.status', {});
    const saved = await call<{ isRestartRequired: boolean }>('settings.update', {
      hmacKey: 'my-hmac-secret-value',
      ngrokDomain: 'beats.ngrok.app',
    });
    expect(saved).toMatchObject({ ok: true, value: { isRestartRequired: false } });
    await until(async () => {
      const now = await call<HostStatus>('host.status', {});
      return now.ok && before.ok && now.value.receiverUrl !== before.value.receiverUrl;
    }, 'a restarted host');
    expect(readFileSync(join(dataDir, KEYCHAIN_FILE), 'utf8')).not.toContain('my-hmac-secret-value');
    expect(await call('settings.get', {})).toMatchObject({
      ok: true,
      value: { secrets: { hmacKey: true }, isSecretStorageEncrypted: true },
    });
  });

  it('quits gracefully: everything closes, host.json and the lock are removed', async () => {
    state.app.emit('before-quit', { preventDefault: () => undefined });
    await until(() => state.exitCode !== null, 'exit');
    expect(state.exitCode).toBe(0);
    expect(existsSync(join(dataDir, 'host.json'))).toBe(false);
    // The OS lock is released: another host can take the folder now.
    lockDataDir(dataDir)();
  });
});
