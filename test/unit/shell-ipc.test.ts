// Main's side of IPC with fake ipcMain/webContents: only the app's own main frame is answered,
// results come back in the envelope, events reach the live window, and drag-out checks every path.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { API_METHODS, type ApiHandlers } from '../../shared/api.ts';
import { createEventBus } from '../../electron/core/host/events.ts';
import { NotFoundError } from '../../electron/core/host/api-errors.ts';
import { registerContract } from '../../electron/shell/ipc-contract.ts';
import {
  dragRoots,
  registerDragOut,
  resolveDragFiles,
  type DragError,
} from '../../electron/shell/drag-out.ts';

type Listener = (event: unknown, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handles = new Map<string, Listener>();
  const ons = new Map<string, Listener>();
  const ipc = {
    handle: (channel: string, listener: Listener) => void handles.set(channel, listener),
    removeHandler: (channel: string) => void handles.delete(channel),
    on: (channel: string, listener: Listener) => void ons.set(channel, listener),
    removeListener: (channel: string) => void ons.delete(channel),
  };
  return { ipc: ipc as unknown as IpcMain, handles, ons };
}

function fakeContents(url = 'stemhook://app/index.html') {
  const sent: unknown[][] = [];
  const dragged: unknown[] = [];
  const mainFrame = { url };
  const contents = {
    mainFrame,
    isDestroyed: () => false,
    send: (...args: unknown[]) => void sent.push(args),
    startDrag: (item: unknown) => void dragged.push(item),
  };
  return { contents: contents as unknown as WebContents, mainFrame, sent, dragged };
}

const eventFrom = (sender: WebContents, frame: unknown) =>
  ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent & IpcMainEvent;

function fakeHandlers(): ApiHandlers {
  const handlers = Object.fromEntries(
    API_METHODS.map((m) => [m, async (input: unknown) => ({ method: m, input })]),
  ) as unknown as ApiHandlers;
  handlers['tasks.get'] = async ({ id }) => {
    throw new NotFoundError(`No task ${id} in the library`);
  };
  return handlers;
}

describe('registerContract', () => {
  it('registers one handler per contract method and answers the app main frame with results', async () => {
    const { ipc, handles } = fakeIpcMain();
    const win = fakeContents();
    registerContract({
      ipcMain: ipc,
      handlers: fakeHandlers(),
      events: createEventBus(),
      contents: () => win.contents,
    });
    expect([...handles.keys()].sort()).toEqual(API_METHODS.map((m) => `api:${m}`).sort());
    const answer = await handles.get('api:tasks.list')?.(eventFrom(win.contents, win.mainFrame), {
      limit: 3,
    });
    expect(answer).toEqual({ ok: true, value: { method: 'tasks.list', input: { limit: 3 } } });
    const missing = await handles.get('api:tasks.get')?.(eventFrom(win.contents, win.mainFrame), {
      id: 'nope',
    });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No task nope in the library' },
    });
  });

  it('refuses other windows, sub-frames, foreign pages and vanished frames', async () => {
    const { ipc, handles } = fakeIpcMain();
    const win = fakeContents();
    const other = fakeContents();
    const foreign = fakeContents('https://evil.example/');
    let current: WebContents | null = win.contents;
    registerContract({
      ipcMain: ipc,
      handlers: fakeHandlers(),
      events: createEventBus(),
      contents: () => current,
    });
    const call = (event: unknown) => handles.get('api:settings.get')?.(event, {});
    const forbidden = { ok: false, error: { code: 'forbidden', message: expect.any(String) } };
    expect(await call(eventFrom(other.contents, other.mainFrame))).toEqual(forbidden);
    expect(await call(eventFrom(win.contents, { url: 'stemhook://app/index.html' }))).toEqual(forbidden);
    expect(await call(eventFrom(win.contents, null))).toEqual(forbidden);
    current = foreign.contents;
    expect(await call(eventFrom(foreign.contents, foreign.mainFrame))).toEqual(forbidden);
    current = null;
    expect(await call(eventFrom(win.contents, win.mainFrame))).toEqual(forbidden);
  });

  it('forwards change events to the window and stops after unregistering', () => {
    const { ipc, handles } = fakeIpcMain();
    const win = fakeContents();
    const events = createEventBus();
    const off = registerContract({
      ipcMain: ipc,
      handlers: fakeHandlers(),
      events,
      contents: () => win.contents,
    });
    events.emit('tasks.changed', { ids: ['t1'] });
    expect(win.sent).toEqual([['api:event', 'tasks.changed', { ids: ['t1'] }]]);
    off();
    events.emit('tasks.changed', { ids: ['t2'] });
    expect(win.sent).toHaveLength(1);
    expect(handles.size).toBe(0);
  });
});

describe('drag-out', () => {
  let dataDir = '';
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  function setup() {
    dataDir = mkdtempSync(join(tmpdir(), 'stemhook-drag-'));
    const [dragDir = ''] = dragRoots(dataDir);
    mkdirSync(join(dragDir, 'task'), { recursive: true });
    mkdirSync(join(dataDir, 'export'), { recursive: true });
    writeFileSync(join(dragDir, 'task', 'Vocals.wav'), 'RIFF');
    writeFileSync(join(dragDir, 'Drums.wav'), 'RIFF');
    writeFileSync(join(dataDir, 'export', 'Bass.wav'), 'RIFF');
    writeFileSync(join(dataDir, 'stemhook.db'), 'db');
    mkdirSync(join(dataDir, 'library'));
    writeFileSync(join(dataDir, 'library', 'take.mp3'), 'ID3');
    symlinkSync(join(dataDir, 'stemhook.db'), join(dragDir, 'task', 'sneaky.wav'));
    return { dragDir };
  }

  it('accepts regular files inside the drag cache', () => {
    const { dragDir } = setup();
    const files = [join(dragDir, 'task', 'Vocals.wav'), join(dragDir, 'Drums.wav')];
    expect(resolveDragFiles(dragRoots(dataDir), files)).toHaveLength(2);
  });

  it.each([
    ['a library file', (d: string) => [join(d, 'library', 'take.mp3')], 'not_allowed'],
    ['a file beside the cache', (d: string) => [join(d, 'export', 'Bass.wav')], 'not_allowed'],
    [
      'the database through ..',
      (d: string) => [`${join(d, 'drag-cache', 'task')}/../../stemhook.db`],
      'not_allowed',
    ],
    [
      'a symlink out of the cache',
      (d: string) => [join(d, 'drag-cache', 'task', 'sneaky.wav')],
      'not_allowed',
    ],
    ['a folder', (d: string) => [join(d, 'drag-cache', 'task')], 'not_allowed'],
    ['a missing file', (d: string) => [join(d, 'drag-cache', 'gone.wav')], 'missing'],
    ['no list', () => 'x.wav', 'bad_input'],
    ['an empty list', () => [], 'bad_input'],
    ['a number', () => [7], 'bad_input'],
  ])('refuses %s', (_what, paths, code) => {
    setup();
    expect(() => resolveDragFiles(dragRoots(dataDir), paths(dataDir))).toThrow(
      expect.objectContaining({ code }) as DragError,
    );
  });

  it('starts the drag only for the app main frame and only with checked files', () => {
    const { dragDir } = setup();
    const { ipc, ons } = fakeIpcMain();
    const win = fakeContents();
    const other = fakeContents();
    const logs: string[] = [];
    registerDragOut({
      ipcMain: ipc,
      roots: dragRoots(dataDir),
      icon: '/icon.png',
      contents: () => win.contents,
      log: (l) => logs.push(l),
    });
    const drag = ons.get('shell:start-drag');
    const file = join(dragDir, 'task', 'Vocals.wav');
    drag?.(eventFrom(other.contents, other.mainFrame), [file]);
    drag?.(eventFrom(win.contents, win.mainFrame), [join(dataDir, 'stemhook.db')]);
    expect(win.dragged).toEqual([]);
    expect(logs).toEqual(['drag-out refused: Only prepared export files can be dragged out']);
    drag?.(eventFrom(win.contents, win.mainFrame), [file]);
    expect(win.dragged).toEqual([
      {
        file: expect.stringMatching(/Vocals\.wav$/),
        files: [expect.stringMatching(/Vocals\.wav$/)],
        icon: '/icon.png',
      },
    ]);
  });
});
