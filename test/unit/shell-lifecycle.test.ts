// The desktop app's quit path and identity under a fake Electron (no Electron binary runs here):
// a normal quit waits for the host's async shutdown; the OS ending the session (logout, restart,
// power off) is never refused and finishes synchronously; Windows gets the AppUserModelID that
// electron-builder packages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_ID, applyAppIdentity } from '../../electron/shell/app-identity.ts';
import { ROOT } from '../helpers/cli.ts';

type Fn = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const emitter = () => {
    const listeners = new Map<string, Fn[]>();
    return {
      on(name: string, fn: Fn) {
        listeners.set(name, [...(listeners.get(name) ?? []), fn]);
        return this;
      },
      emit: (name: string, ...args: unknown[]) => (listeners.get(name) ?? []).map((fn) => fn(...args)),
      reset: () => listeners.clear(),
    };
  };
  const state = { exitCode: null as number | null, quits: 0 };
  const app = Object.assign(emitter(), {
    quit: () => {
      state.quits++;
      const event = { isPrevented: false, preventDefault: () => (event.isPrevented = true) };
      app.emit('before-quit', event);
      return event;
    },
    exit: (code: number) => void (state.exitCode = code),
  });
  return { state, electron: { app, powerMonitor: emitter() } };
});
vi.mock('electron', () => fake.electron);

const { quitGracefully } = await import('../../electron/shell/app-lifecycle.ts');
const { app, powerMonitor } = fake.electron;

afterEach(() => {
  app.reset();
  powerMonitor.reset();
  fake.state.exitCode = null;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
});

describe('quitGracefully', () => {
  it('a normal quit is held until the host has shut down, then exits 0', async () => {
    let finishShutdown = (): void => undefined;
    const finishNow = vi.fn();
    quitGracefully({
      shutdown: () => new Promise<void>((resolve) => (finishShutdown = resolve)),
      finishNow,
      log: () => undefined,
    });
    const event = app.quit();
    expect(event.isPrevented).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.state.exitCode).toBeNull();
    finishShutdown();
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.state.exitCode).toBe(0);
    expect(finishNow).not.toHaveBeenCalled();
  });

  it('the OS ending the session: finishes synchronously and never refuses the quit', () => {
    const order: string[] = [];
    const shutdown = vi.fn(async () => void order.push('async shutdown'));
    quitGracefully({ shutdown, finishNow: () => order.push('finishNow'), log: (l) => order.push(l) });
    powerMonitor.emit('shutdown', { preventDefault: () => order.push('delayed the OS') });
    // macOS then asks the app to terminate (logout): before-quit must not be prevented.
    const event = app.quit();
    expect(event.isPrevented).toBe(false);
    expect(order).toEqual(['The system is ending the session: saving and quitting.', 'finishNow']);
    expect(shutdown).not.toHaveBeenCalled();
  });

  it('a failing finishNow is logged, and the quit still goes through', () => {
    const lines: string[] = [];
    quitGracefully({
      shutdown: async () => undefined,
      finishNow: () => {
        throw new Error('database is locked');
      },
      log: (line) => lines.push(line),
    });
    powerMonitor.emit('shutdown', {});
    expect(app.quit().isPrevented).toBe(false);
    expect(lines).toContain('shutdown: database is locked');
  });
});

describe('app identity', () => {
  it('sets the AppUserModelID on Windows only, equal to the packaged appId', () => {
    const builderConfig = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(builderConfig).toMatch(new RegExp(`^appId: ${APP_ID.replace(/\./g, '\\.')}$`, 'm'));
    const windows = { setAppUserModelId: vi.fn() };
    applyAppIdentity(windows, 'win32');
    expect(windows.setAppUserModelId).toHaveBeenCalledWith(APP_ID);
    const linux = { setAppUserModelId: vi.fn() };
    applyAppIdentity(linux, 'linux');
    expect(linux.setAppUserModelId).not.toHaveBeenCalled();
  });
});
