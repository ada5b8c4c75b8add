// A `stemhook serve` child process with Chromium open on its UI, for the end-to-end UI tests.
import { launchBrowser, type Page, type TestBrowser } from './browser.ts';
import { startServeProcess, stopProcess, type ServeProcess } from './cli.ts';

export interface UiSession {
  serve: ServeProcess;
  browser: TestBrowser;
  page: Page;
  /** Closes the browser and kills serve (the data directory is the caller's). */
  close(): Promise<void>;
}

/** Starts serve on `dataDir`, runs `beforeUi` (e.g. settings the page should load with), opens the UI. */
export async function openUiSession(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  beforeUi: (serve: ServeProcess) => Promise<unknown> = async () => undefined,
): Promise<UiSession> {
  const serve = await startServeProcess(env, dataDir);
  let browser: TestBrowser | undefined;
  const close = async () => {
    await browser?.close();
    await stopProcess(serve.child, 'SIGKILL');
  };
  try {
    await beforeUi(serve);
    browser = await launchBrowser();
    await browser.page.goto(serve.hostFile.uiUrl);
    return { serve, browser, page: browser.page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
