// Test harness: a simulator with a callback catcher, an authorised JSON client and JSON path helpers, for any
// suite that exercises code against the simulator.
import { createCallbackCatcher, type CallbackCatcher } from './callback-catcher.ts';
import { createKieSimulator } from './simulator.ts';
import type { KieSimulator, SimulatorOptions } from './types.ts';

export interface SimulatorHarness {
  sim: KieSimulator;
  catcher: CallbackCatcher;
  /** GET (no body) or POST JSON (a string body is sent raw) with the simulator's key; resolves to the parsed reply. */
  call(path: string, body?: unknown, opts?: { base?: string; key?: string }): Promise<unknown>;
  /** Uploads bytes (default: a tiny ID3 stub) through the base64 route and returns the download URL. */
  upload(bytes?: Uint8Array): Promise<string>;
  close(): Promise<void>;
}

export async function createSimulatorHarness(
  options: Partial<SimulatorOptions> = {},
): Promise<SimulatorHarness> {
  const sim = await createKieSimulator(options);
  const catcher = await createCallbackCatcher().catch(async (err: unknown) => {
    await sim.close();
    throw err;
  });
  const call = async (
    path: string,
    body?: unknown,
    opts: { base?: string; key?: string } = {},
  ): Promise<unknown> => {
    const key = opts.key ?? sim.control.options().apiKey;
    const init: RequestInit = {
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    };
    if (body !== undefined) {
      init.method = 'POST';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(`${opts.base ?? sim.apiUrl}${path}`, init);
    return res.json();
  };
  const upload = async (bytes = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0])): Promise<string> => {
    const body = { base64Data: Buffer.from(bytes).toString('base64'), uploadPath: 'harness' };
    return pickString(
      await call('/api/file-base64-upload', body, { base: sim.uploadUrl }),
      'data',
      'downloadUrl',
    );
  };
  const close = async (): Promise<void> => void (await Promise.all([sim.close(), catcher.close()]));
  return { sim, catcher, call, upload, close };
}

/** Walks objects and arrays by key/index; undefined when the path does not exist. */
export function pick(value: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>(
    (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

export function pickString(value: unknown, ...path: Array<string | number>): string {
  const found = pick(value, ...path);
  if (typeof found !== 'string') throw new Error(`expected a string at ${path.join('.')}`);
  return found;
}
