// Serves the contract over IPC: one handler per method channel, answering only the app's own main
// frame, with results in the Result envelope; forwards the core's change events to the window.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { API_METHODS, type ApiHandlers, type ApiMethod } from '../../shared/api.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { toApiError } from '../core/host/api-errors.ts';
import type { EventBus } from '../core/host/events.ts';
import { EVENT_CHANNEL, methodChannel } from './contract-bridge.ts';
import { isAppUrl } from './web-security.ts';

/** The main window's web contents, or null while there is none (closed on macOS, or quitting). */
export type WindowContents = () => WebContents | null;

/**
 * A message counts only from the main frame of our window showing our own page: not from an
 * iframe, another window, or a page that somehow navigated elsewhere.
 */
export function isTrustedSender(
  event: IpcMainEvent | IpcMainInvokeEvent,
  contents: WebContents | null,
): boolean {
  const frame = event.senderFrame;
  return (
    !!contents && !!frame && event.sender === contents && frame === contents.mainFrame && isAppUrl(frame.url)
  );
}

export async function invokeHandler(
  handlers: ApiHandlers,
  method: ApiMethod,
  input: unknown,
): Promise<Result<unknown>> {
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return ok(await handler(input ?? {}));
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

export function registerContract(options: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  handlers: ApiHandlers;
  events: Pick<EventBus, 'onAny'>;
  contents: WindowContents;
}): () => void {
  const { ipcMain, handlers } = options;
  for (const method of API_METHODS) {
    ipcMain.handle(methodChannel(method), (event, input: unknown) => {
      if (!isTrustedSender(event, options.contents()))
        return fail('forbidden', 'This window may not call Stemhook');
      return invokeHandler(handlers, method, input);
    });
  }
  const off = options.events.onAny((name, payload) => {
    const contents = options.contents();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    off();
    for (const method of API_METHODS) ipcMain.removeHandler(methodChannel(method));
  };
}
