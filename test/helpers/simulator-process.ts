// The KIE simulator in its own process, so a host under test can be SIGKILLed and restarted against
// the same "cloud". Run directly it serves and prints its URLs as one JSON line, then obeys JSON
// commands on stdin; imported, it spawns that process and drives it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  createKieSimulator,
  type CallbackLogEntry,
  type SimulatedRequestFailure,
  type SimulatedTaskSummary,
  type SimulatorOptions,
} from '../../electron/core/simulator/index.ts';

type Op = 'setOptions' | 'failNextRequest' | 'tasks' | 'callbackLog' | 'idle' | 'close';
interface Command {
  id: number;
  op: Op;
  arg?: unknown;
}
interface Ready {
  apiUrl: string;
  uploadUrl: string;
  apiKey: string;
}

export interface SimulatorProcess extends Ready {
  child: ChildProcess;
  setOptions(patch: Partial<SimulatorOptions>): Promise<void>;
  failNextRequest(failure: SimulatedRequestFailure): Promise<void>;
  tasks(): Promise<SimulatedTaskSummary[]>;
  callbackLog(): Promise<CallbackLogEntry[]>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

async function serve(options: Partial<SimulatorOptions>): Promise<void> {
  const sim = await createKieSimulator(options);
  const ready: Ready = { apiUrl: sim.apiUrl, uploadUrl: sim.uploadUrl, apiKey: sim.control.options().apiKey };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  const answer = (id: number, value: unknown): void =>
    void process.stdout.write(`${JSON.stringify({ id, value: value ?? null })}\n`);
  const control = sim.control;
  const ops: Record<Op, (arg: unknown) => unknown> = {
    setOptions: (arg) => control.setOptions(arg as Partial<SimulatorOptions>),
    failNextRequest: (arg) => control.failNextRequest(arg as SimulatedRequestFailure),
    tasks: () => control.tasks(),
    callbackLog: () => control.callbackLog(),
    idle: () => control.idle(),
    close: () => sim.close(),
  };
  let isClosing = false;
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as Command;
    answer(command.id, await ops[command.op](command.arg));
    if (command.op === 'close') {
      isClosing = true;
      break;
    }
  }
  if (!isClosing) await sim.close();
  process.exit(0);
}

export async function startSimulatorProcess(
  options: Partial<SimulatorOptions> = {},
): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator process exited early (${code})`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as Ready));
  });
  lines.on('line', (line) => {
    const { id, value } = JSON.parse(line) as { id: number; value: unknown };
    pending.get(id)?.resolve(value);
    pending.delete(id);
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`simulator process exited (${code})`));
    pending.clear();
  });
  const send = <T>(op: Op, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error('simulator process is gone'));
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      child.stdin!.write(`${JSON.stringify({ id, op, arg })}\n`);
    });
  return {
    ...ready,
    child,
    setOptions: (patch) => send('setOptions', patch),
    failNextRequest: (failure) => send('failNextRequest', failure),
    tasks: () => send('tasks'),
    callbackLog: () => send('callbackLog'),
    idle: () => send('idle'),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.stdin!.end(`${JSON.stringify({ id: 0, op: 'close' })}\n`);
      await exited;
      clearTimeout(timer);
    },
  };
}

if (import.meta.main) await serve(JSON.parse(process.argv[2] ?? '{}') as Partial<SimulatorOptions>);
