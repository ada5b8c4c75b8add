// Issue 11 §6 in Debian Chromium at 1024 px against `stemhook serve` in live mode on the KIE
// simulator (its own process, 30 credits, no public URL so results arrive by polling): the welcome
// wizard asks for the ngrok authtoken, similar titles stay distinguishable, short credits say what
// is needed and keep Send and Split disabled, loop points come from [ and ], the lane's download
// button is reached with Tab, the export's done screen says what it wrote and its zip holds exactly
// those files; a second host with a wrong API key shows one banner at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, launchBrowser, waitForTask, type Page, type TestBrowser } from '../helpers/browser.ts';
import { cleanEnv, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const dirs: string[] = [];
let sim: SimulatorProcess;
let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let source: string;
let exportDir: string;
const tasks: TaskView[] = [];

function hostEnv(apiKey: string): { env: NodeJS.ProcessEnv; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-small-'));
  dirs.push(dataDir);
  const env = cleanEnv({
    STEMHOOK_DATA_DIR: dataDir,
    KIE_API_KEY: apiKey,
    KIE_BASE_URL: sim.apiUrl,
    KIE_UPLOAD_BASE_URL: sim.uploadUrl,
    STEMHOOK_ALLOW_LOOPBACK_DOWNLOADS: '1',
  });
  return { env, dataDir };
}

beforeAll(async () => {
  sim = await startSimulatorProcess({ credits: 30, audioDurationSec: 4, stageDelayMs: 100 });
  const { env, dataDir } = hostEnv(sim.apiKey);
  source = await writeToneMp3(join(dataDir, 'vocal take.mp3'), { seconds: 2 });
  exportDir = join(dataDir, 'exports');
  serve = await startServeProcess(env, dataDir);
  browser = await launchBrowser({ width: 1024, height: 768 });
  page = browser.page;
  for (const title of ['Harbor Lights (band version, take A)', 'Harbor Lights (band version, take B)']) {
    const input = {
      kind: 'add-instrumental',
      source: { path: source },
      title,
      tags: 'folk',
      negativeTags: '',
    };
    tasks.push(await callApi<TaskView>(serve.hostFile, 'tasks.submit', input));
  }
  for (const task of tasks)
    await waitForTask<TaskView>(
      serve.hostFile,
      task.id,
      (t) => t.state === 'complete' && t.tracks.length > 0 && t.tracks.every((x) => x.state === 'ready'),
      90_000,
    );
  await page.goto(serve.hostFile.uiUrl);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  await sim?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000, interval: 100 });

describe('small things a producer notices (issue 11 §6)', () => {
  it('does not finish the welcome with an ngrok tunnel and no authtoken, and says why', async () => {
    const welcome = page.getByRole('dialog', { name: 'Welcome to Stemhook' });
    await welcome.getByRole('button', { name: 'Next' }).click();
    await welcome.getByRole('button', { name: 'Next' }).click();
    const finish = welcome.getByRole('button', { name: 'Finish' });
    expect(await finish.isDisabled()).toBe(true);
    expect(await welcome.locator('#welcome-ngrok-error').textContent()).toMatch(/Paste your ngrok authtoken/);
    await welcome.getByLabel('ngrok authtoken').fill('2abc def');
    expect(await welcome.locator('#welcome-ngrok-error').textContent()).toMatch(/no spaces/);
    await welcome.getByText('No public address').click();
    expect(await finish.isDisabled()).toBe(false);
    await finish.click();
    await poll(() => welcome.count()).toBe(0);
  });

  it('keeps similar titles distinguishable at 1024 px', async () => {
    const titles = page.locator('.task-title');
    await poll(() => titles.count()).toBe(2);
    const fits = await titles.evaluateAll((els) => els.map((el) => el.scrollWidth <= el.clientWidth));
    expect(fits).toEqual([true, true]);
  });

  it('says what short credits need, and keeps Split and Send disabled', async () => {
    // 30 credits, two add-instrumental tasks at 12: 6 left.
    await page.locator(`[data-task-id="${tasks[0]?.id}"]`).click();
    await page.getByRole('button', { name: 'Split Take 1 into stems' }).click();
    const confirm = page.getByRole('dialog', { name: 'Split Take 1' });
    await poll(() => confirm.getByTestId('split-cost').textContent()).toBe(
      'Needs 50 credits, you have 6 — top up at kie.ai',
    );
    expect(await confirm.getByRole('button', { name: 'Split' }).isDisabled()).toBe(true);
    await confirm.getByText('Vocals + instrumental').click();
    expect(await confirm.getByTestId('split-cost').textContent()).toBe(
      'Needs 10 credits, you have 6 — top up at kie.ai',
    );
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => confirm.count()).toBe(0);

    await page.getByTestId('file-picker').setInputFiles(source);
    const form = page.getByRole('dialog', { name: 'New task' });
    await poll(() => form.getByTestId('cost').textContent()).toBe(
      'Needs 12 credits, you have 6 — top up at kie.ai',
    );
    await form.getByLabel('Style tags').fill('folk');
    expect(await form.getByRole('button', { name: 'Send to KIE' }).isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sets loop points with I and O at the playhead, and reaches the lane download with Tab', async () => {
    await page.locator(`[data-task-id="${tasks[0]?.id}"]`).click();
    await page.getByRole('button', { name: 'Open in studio' }).click();
    await page.locator('.studio[data-all-drawn="true"]').waitFor();
    await page.waitForFunction(() => window.stemhookDebug?.studio != null);
    // Down to the desktop window's narrowest (900 px) every transport control keeps its label on
    // one line; the loop's hint gives way.
    await page.setViewportSize({ width: 900, height: 768 });
    const wrapped = await page.locator('.transport').evaluate((bar) =>
      Array.from(bar.querySelectorAll('button, .loop-range, .loading'))
        .filter((control) => {
          const text = document.createRange();
          text.selectNodeContents(control);
          return new Set(Array.from(text.getClientRects(), (line) => Math.round(line.top))).size > 1;
        })
        .map((control) => control.textContent),
    );
    expect(wrapped).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.locator('.studio').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('i');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('o');
    expect(await page.getByTestId('loop-range').textContent()).toBe('0:01.000 – 0:03.000');
    expect(await page.getByRole('button', { name: /Loop/ }).getAttribute('aria-pressed')).toBe('true');

    const lane = page.getByRole('button', { name: /^Download Take 1 as WAV$/ });
    let isFocused = false;
    for (let press = 0; press < 60 && !isFocused; press++) {
      await page.keyboard.press('Tab');
      isFocused = await lane.evaluate((el) => el === document.activeElement);
    }
    expect(isFocused).toBe(true);
    expect(await lane.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    expect((await download).suggestedFilename()).toMatch(/\.wav$/);
  });

  it('marks every file of a finished export as written, and zips exactly those files', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export stems' });
    // A folder of this run's own, never the default one in the home folder.
    await dialog.getByLabel('Folder').fill(exportDir);
    const exportButton = dialog.getByRole('button', { name: 'Export', exact: true });
    await poll(() => exportButton.isEnabled()).toBe(true);
    await exportButton.click();
    const done = page.getByRole('dialog', { name: 'Exported' });
    await done.waitFor({ timeout: 60_000 });
    const outcomes = await done.getByTestId('file-outcome').allTextContents();
    expect(outcomes.length).toBeGreaterThan(1);
    expect(new Set(outcomes)).toEqual(new Set(['written']));
    expect(await done.getByText('already there').count()).toBe(0);

    const download = page.waitForEvent('download');
    await done.getByRole('button', { name: 'Download as zip' }).click();
    const zipPath = await (await download).path();
    const entries = unzipSync(readFileSync(zipPath));
    const folder = (await done.locator('code.path').textContent()) ?? '';
    const names = await done.locator('.export-files .mono').allTextContents();
    expect(Object.keys(entries).sort()).toEqual([...names].sort());
    for (const name of names)
      expect(Buffer.from(entries[name] ?? []).equals(readFileSync(join(folder, name)))).toBe(true);
    await done.getByRole('button', { name: 'Done' }).click();
  });

  it('shows a rejected API key as one banner at start, saying it once', async () => {
    const { env, dataDir } = hostEnv('not-the-key');
    const wrong = await startServeProcess(env, dataDir);
    try {
      await page.goto(wrong.hostFile.uiUrl);
      const banner = page.getByTestId('key-problem');
      await banner.waitFor();
      const text = (await banner.textContent()) ?? '';
      expect(text).toMatch(/^KIE rejected the API key\. Check the key in Settings/);
      expect(text.match(/rejected/g)).toHaveLength(1);
      expect(await page.getByTestId('credits').textContent()).toBe('API key rejected');
    } finally {
      await stopProcess(wrong.child, 'SIGKILL');
    }
  });
});
