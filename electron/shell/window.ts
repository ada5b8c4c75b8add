// The main window and the rules every web page in the app lives by: isolated and sandboxed, no
// navigation away from the app, no new windows (https links open in the OS browser), no webviews,
// and no permissions beyond copying text.
import { app, BrowserWindow, session, shell, type Session, type WebContents } from 'electron';
import { isPermissionAllowed, judgeNavigation } from './web-security.ts';

export interface WindowPaths {
  preload: string;
  icon: string;
}

function openOutside(url: string): void {
  const verdict = judgeNavigation(url);
  if (verdict.action === 'deny' && verdict.openExternally) void shell.openExternal(verdict.openExternally);
}

export function hardenWebContents(contents: WebContents): void {
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (judgeNavigation(url).action === 'allow') return;
    event.preventDefault();
    openOutside(url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (details) => {
    if (judgeNavigation(details.url).action !== 'allow') details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}

export function hardenSession(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((contents, permission, callback) =>
    callback(isPermissionAllowed(permission, contents.getURL())),
  );
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  target.setDevicePermissionHandler(() => false);
  target.on('will-download', (event) => event.preventDefault());
}

/** Every web contents the app ever creates gets the same guards, not only the main window. */
export function hardenApp(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  hardenSession();
}

/** Creates the window; the caller loads APP_URL once its listeners are attached. */
export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1320,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#15171c',
    title: 'Stemhook',
    icon: paths.icon,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  return win;
}

export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
