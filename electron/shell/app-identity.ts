// The app's identity as the OS sees it. Windows groups taskbar buttons, shows notifications and
// badges by AppUserModelID, which must equal electron-builder's `appId` (test/unit checks both) and
// be set before the app is ready; elsewhere the call does not exist or does nothing.

export const APP_ID = 'ai.stemhook.desktop';

export function applyAppIdentity(
  app: { setAppUserModelId?: (id: string) => void },
  platform: NodeJS.Platform = process.platform,
): void {
  if (platform === 'win32') app.setAppUserModelId?.(APP_ID);
}
