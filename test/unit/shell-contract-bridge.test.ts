// window.api as the preload builds it, checked under Node with a fake ipcRenderer: exactly the
// contract's methods on named channels, events without the IPC event object, and the shell extras.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { API_METHODS } from '../../shared/api.ts';
import {
  AUDIO_BASE_URL,
  buildWindowApi,
  EVENT_CHANNEL,
  SHELL_EVENT_CHANNEL,
  START_DRAG_CHANNEL,
  type IpcRendererLike,
} from '../../electron/shell/contract-bridge.ts';
import type { WindowApi } from '../../shared/window-api.ts';

type Handler = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const sent: Array<{ channel: string; args: unknown[] }> = [];
  const handlers = new Map<string, Set<Handler>>();
  const ipc: IpcRendererLike & {
    emit(channel: string, ...args: unknown[]): void;
    count(channel: string): number;
  } = {
    async invoke(channel, ...args) {
      invoked.push({ channel, args });
      if (channel === 'api:credits.get') throw new Error("No handler registered for 'api:credits.get'");
      return { ok: true, value: { channel } };
    },
    send: (channel, ...args) => void sent.push({ channel, args }),
    on(channel, listener) {
      handlers.set(channel, (handlers.get(channel) ?? new Set()).add(listener));
    },
    removeListener: (channel, listener) => handlers.get(channel)?.delete(listener),
    emit: (channel, ...args) =>
      handlers.get(channel)?.forEach((h) => h({ sender: 'the-ipc-event' }, ...args)),
    count: (channel) => handlers.get(channel)?.size ?? 0,
  };
  return { ipc, invoked, sent };
}

describe('buildWindowApi', () => {
  it('exposes exactly the contract methods, each on its own channel', async () => {
    const { ipc, invoked } = fakeIpcRenderer();
    const api = buildWindowApi(ipc, () => '/x');
    expect(Object.keys(api.call).sort()).toEqual([...API_METHODS].sort());
    for (const method of API_METHODS)
      await (api.call[method] as (input: unknown) => Promise<unknown>)({ probe: method });
    expect(invoked.map((c) => c.channel)).toEqual(API_METHODS.map((m) => `api:${m}`));
    expect(invoked[0]?.args).toEqual([{ probe: API_METHODS[0] }]);
  });

  it('has no generic door: only these members, none of them an ipcRenderer', () => {
    const { ipc } = fakeIpcRenderer();
    const api = buildWindowApi(ipc, () => '/x');
    expect(Object.keys(api).sort()).toEqual([
      'audioBaseUrl',
      'call',
      'getPathForFile',
      'onEvent',
      'onShellEvent',
      'startDrag',
    ]);
    expect(Object.values(api)).not.toContain(ipc);
    expect(JSON.stringify(Object.keys(api.call))).not.toMatch(/invoke|send|ipc/);
    expect(api.audioBaseUrl).toBe(AUDIO_BASE_URL);
  });

  it('turns a missing main-side handler into an error result instead of a rejection', async () => {
    const { ipc } = fakeIpcRenderer();
    const result = await buildWindowApi(ipc, () => '/x').call['credits.get']({});
    expect(result).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/not ready/) },
    });
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const { ipc } = fakeIpcRenderer();
    const api = buildWindowApi(ipc, () => '/x');
    const seen: unknown[][] = [];
    const off = api.onEvent((name, payload) => seen.push([name, payload]));
    ipc.emit(EVENT_CHANNEL, 'tasks.changed', { ids: ['a'] });
    expect(seen).toEqual([['tasks.changed', { ids: ['a'] }]]);
    off();
    expect(ipc.count(EVENT_CHANNEL)).toBe(0);
  });

  it('keeps shell events that arrive before anyone listens, then delivers them in order', () => {
    const { ipc } = fakeIpcRenderer();
    const api = buildWindowApi(ipc, () => '/x');
    ipc.emit(SHELL_EVENT_CHANNEL, { type: 'open-files', paths: ['/music/vox.wav'] });
    const seen: unknown[] = [];
    const off = api.onShellEvent((event) => seen.push(event));
    ipc.emit(SHELL_EVENT_CHANNEL, { type: 'open-task', taskId: 't1' });
    expect(seen).toEqual([
      { type: 'open-files', paths: ['/music/vox.wav'] },
      { type: 'open-task', taskId: 't1' },
    ]);
    off();
    ipc.emit(SHELL_EVENT_CHANNEL, { type: 'open-task', taskId: 't2' });
    expect(seen).toHaveLength(2);
  });

  it('sends drag requests as a copied list of paths and refuses anything else', () => {
    const { ipc, sent } = fakeIpcRenderer();
    const api = buildWindowApi(ipc, () => '/x');
    api.startDrag(['/data/drag/a.wav', '/data/drag/b.wav']);
    expect(sent).toEqual([{ channel: START_DRAG_CHANNEL, args: [['/data/drag/a.wav', '/data/drag/b.wav']] }]);
    for (const bad of [[], [42], 'a.wav', Array.from({ length: 65 }, () => 'a.wav')]) {
      expect(() => api.startDrag(bad as string[])).toThrow(TypeError);
    }
    expect(sent).toHaveLength(1);
  });

  it('hands dropped files to webUtils', () => {
    const { ipc } = fakeIpcRenderer();
    const files: unknown[] = [];
    const api = buildWindowApi(ipc, (file) => {
      files.push(file);
      return '/music/vox.wav';
    });
    const file = new File(['x'], 'vox.wav');
    expect(api.getPathForFile(file)).toBe('/music/vox.wav');
    expect(files).toEqual([file]);
  });

  it("fits the renderer's declared type of window.api", () => {
    expectTypeOf<ReturnType<typeof buildWindowApi>>().toExtend<WindowApi<File>>();
  });
});
