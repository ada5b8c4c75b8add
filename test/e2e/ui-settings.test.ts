// The Settings view in Debian Chromium against `stemhook serve` in demo mode: a producer enters a KIE
// key, a callback address and export defaults, sees what is wrong before saving, saves (and is told a
// restart applies keys), removes a key again, and discards an edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SettingsView } from '../../shared/api.ts';
import { callApi, type Page } from '../helpers/browser.ts';
import { cleanEnv, type ServeProcess } from '../helpers/cli.ts';
import { openUiSession } from '../helpers/ui-session.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-settings-'));
const env = cleanEnv({ STEMHOOK_DATA_DIR: dataDir });
let serve: ServeProcess;
let page: Page;
let closeUi: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({
    serve,
    page,
    close: closeUi,
  } = await openUiSession(env, dataDir, (host) =>
    callApi(host.hostFile, 'settings.update', { preferences: { 'ui.welcomed': '1' } }),
  ));
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await form().waitFor();
});

afterAll(async () => {
  await closeUi?.();
  rmSync(dataDir, { recursive: true, force: true });
});

const form = () => page.getByRole('form', { name: 'Settings' });
const saveButton = () => form().getByRole('button', { name: 'Save' });
const settings = () => callApi<SettingsView>(serve.hostFile, 'settings.get');
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000, interval: 100 });

describe('Settings view', () => {
  it('says it runs in demo mode and offers nothing to save before an edit', async () => {
    expect(await form().textContent()).toMatch(/Demo mode: no API key/);
    expect(await saveButton().isDisabled()).toBe(true);
    expect(await form().getByRole('button', { name: 'Discard changes' }).isDisabled()).toBe(true);
  });

  it('shows what is wrong next to the field and keeps Save off until it is fixed', async () => {
    await form().getByLabel('Or a manual public URL').fill('http://hooks.example.com');
    expect(await form().textContent()).toMatch(/http:\/\/ is accepted only for this computer/);
    expect(await saveButton().isDisabled()).toBe(true);
    await form().getByLabel('Or a manual public URL').fill('https://hooks.example.com/');

    await form().getByLabel('Keep callback inbox rows for (days)').fill('0');
    expect(await form().locator('#inbox-retention').getAttribute('aria-invalid')).toBe('true');
    expect(await saveButton().isDisabled()).toBe(true);
    await form().getByLabel('Keep callback inbox rows for (days)').fill('14');
    expect(await saveButton().isDisabled()).toBe(false);
  });

  it('saves a key, the callback address and export defaults, and says a restart applies the key', async () => {
    await form().getByLabel('API key').fill('kie-test-key-0123456789');
    await form().getByLabel('ngrok reserved domain (optional)').fill('my-studio.ngrok.app');
    await form().getByLabel('Format').selectOption('wav16');
    await form().getByLabel('Sample rate').selectOption('48000');
    await form().getByLabel('Mixdown').selectOption('mix');
    await form().getByLabel('Export folder').fill(join(dataDir, 'exports'));
    await form().getByLabel('REAPER project (.rpp)').check();
    await form().getByLabel('DAWproject (Bitwig, Studio One, Cubase)').check();
    await form().getByLabel('DAWproject (Bitwig, Studio One, Cubase)').uncheck();
    await saveButton().click();

    await page.getByText('Settings saved.').waitFor();
    await form().getByRole('status').filter({ hasText: 'quit and start Stemhook again' }).waitFor();
    const saved = await settings();
    expect(saved.secrets.apiKey).toBe(true);
    expect(JSON.stringify(saved)).not.toContain('kie-test-key-0123456789');
    expect(saved).toMatchObject({
      publicUrl: 'https://hooks.example.com',
      ngrokDomain: 'my-studio.ngrok.app',
    });
    expect(saved.preferences).toMatchObject({
      'export.format': 'wav16',
      'export.rate': '48000',
      'export.mixdown': 'mix',
      'export.sessions': 'rpp',
      'export.dir': join(dataDir, 'exports'),
      'inbox.retentionDays': '14',
    });
    // The form now shows the key as set, without its value, and nothing left to save.
    expect(await form().getByLabel('API key').inputValue()).toBe('');
    expect(await saveButton().isDisabled()).toBe(true);
  });

  it('removes a saved key only after Save, and Keep takes the removal back', async () => {
    const keyRow = form()
      .locator('.field')
      .filter({ has: page.getByLabel('API key') });
    await keyRow.getByRole('button', { name: 'Remove' }).click();
    expect(await keyRow.textContent()).toMatch(/will be removed/);
    await keyRow.getByRole('button', { name: 'Keep' }).click();
    expect(await keyRow.textContent()).not.toMatch(/will be removed/);
    expect(await saveButton().isDisabled()).toBe(true);

    await keyRow.getByRole('button', { name: 'Remove' }).click();
    await saveButton().click();
    await poll(async () => (await settings()).secrets.apiKey).toBe(false);
    await poll(() => keyRow.textContent()).toMatch(/not set/);
  });

  it('discards an unsaved edit', async () => {
    await form().getByLabel('Or a manual public URL').fill('https://other.example.com');
    await form().getByRole('button', { name: 'Discard changes' }).click();
    expect(await form().getByLabel('Or a manual public URL').inputValue()).toBe('https://hooks.example.com');
    expect((await settings()).publicUrl).toBe('https://hooks.example.com');
  });
});
