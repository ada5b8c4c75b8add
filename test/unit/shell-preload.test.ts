// Loads the real electron/preload.ts under Node with 'electron' replaced by fakes, and checks what it
// exposes to the page: one `api` object whose methods are exactly the contract's.
import { describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../shared/api.ts';

const exposed = vi.hoisted(() => new Map<string, unknown>());

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string) => ({ ok: true, value: channel }),
    send: () => undefined,
    on: () => undefined,
    removeListener: () => undefined,
  },
  webUtils: { getPathForFile: () => '/dropped/file.wav' },
}));

describe('preload.ts', () => {
  it('exposes only window.api, with exactly the contract methods on their channels', async () => {
    await import('../../electron/preload.ts');
    expect([...exposed.keys()]).toEqual(['api']);
    const api = exposed.get('api') as {
      call: Record<string, (input: unknown) => Promise<unknown>>;
      getPathForFile(file: unknown): string;
    };
    expect(Object.keys(api.call).sort()).toEqual([...API_METHODS].sort());
    expect(await api.call['tasks.list']?.({})).toEqual({ ok: true, value: 'api:tasks.list' });
    expect(api.getPathForFile({})).toBe('/dropped/file.wav');
  });
});
