// Launches Debian Chromium for end-to-end tests through playwright-core: headless, a fresh profile
// per launch, and one close() that ends the browser and removes the profile.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { savePageCoverage, startPageCoverage } from '../coverage/page-coverage.ts';

const CHROMIUM = '/usr/bin/chromium';

/** The studio's debug handle as pages expose it (renderer/src/audio/debug-hook.ts), typed for tests. */
interface DebugLane {
  id: string;
  trackId?: string;
  pcm?: Int16Array;
  channels: number;
  frames: number;
  sampleRate: number;
  mix: { gain: number; isMuted: boolean; isSoloed: boolean };
}
type Loop = { isOn: boolean; start: number; end: number };
interface StudioDebug {
  renderOffline(request: {
    sampleRate: number;
    startFrame: number;
    frames: number;
    loop?: Loop;
    lanes: DebugLane[];
  }): Promise<Float32Array[]>;
  studio: {
    engine: {
      context: BaseAudioContext;
      kind: string;
      /** The playhead in output frames. */
      position(): number;
      on(listener: (event: { type: string; underruns?: number }) => void): () => void;
    };
    lanes(): DebugLane[];
    loop(): Loop;
  } | null;
  marks: Record<string, number>;
}

declare global {
  interface Window {
    stemhookDebug?: StudioDebug;
  }
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors (uncaught exceptions, console.error). */
  errors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(
  options: { width?: number; height?: number; bypassCSP?: boolean } = {},
): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'stemhook-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      bypassCSP: options.bypassCSP ?? false,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    await startPageCoverage(page);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    return {
      context,
      page,
      errors,
      async close() {
        await savePageCoverage(page).catch((error: Error) =>
          console.error(`page coverage lost: ${error.message}`),
        );
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Drops a file on the window the way a file manager does: a DataTransfer built in the page. */
export async function dropFile(page: Page, path: string, type = 'audio/mpeg'): Promise<void> {
  await page.evaluate(
    ({ name, base64, mime }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: mime }));
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(
          new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    },
    { name: basename(path), base64: readFileSync(path).toString('base64'), mime: type },
  );
}

/** Calls the contract over the loopback API like the CLI does (for seeding and checking state). */
export async function callApi<T>(
  host: { apiUrl: string; token: string },
  method: string,
  input: unknown = {},
): Promise<T> {
  const response = await fetch(`${host.apiUrl}/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as
    { ok: true; value: T } | { ok: false; error: { message: string } };
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
}

/** Polls a task until `isDone` holds (tasks finish in seconds in demo mode with small knobs). */
export async function waitForTask<T extends { state: string }>(
  host: { apiUrl: string; token: string },
  id: string,
  isDone: (task: T) => boolean,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await callApi<T>(host, 'tasks.get', { id });
    if (isDone(task)) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} stuck in ${task.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type { Page };
