// Queued fault injections: the next created task fails in a chosen way, or the next API request is answered
// with an injected status/body (or only delayed).
import type { SimulatedRequestFailure, SimulatedTaskFailure } from './types.ts';

export interface Faults {
  failNextTask(f: SimulatedTaskFailure): void;
  takeTaskFailure(): SimulatedTaskFailure | null;
  failNextRequest(f: SimulatedRequestFailure): void;
  takeRequestFailure(): SimulatedRequestFailure | null;
}

export function createFaults(): Faults {
  const tasks: SimulatedTaskFailure[] = [];
  const requests: SimulatedRequestFailure[] = [];
  return {
    failNextTask: (f) => void tasks.push({ ...f }),
    takeTaskFailure: () => tasks.shift() ?? null,
    failNextRequest: (f) => void requests.push({ ...f }),
    takeRequestFailure: () => requests.shift() ?? null,
  };
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'format error',
  401: 'You do not have access permissions',
  402: 'The current credits are insufficient. Please top up.',
  404: 'Not found',
  405: 'Rate limit exceeded',
  409: 'Conflict',
  422: 'Validation error',
  429: 'Rate limited',
  451: 'Failed to fetch the file',
  455: 'The system is under maintenance, please try again later.',
  500: 'Internal Error - Please try again later.',
  501: 'Generation failed',
  505: 'The feature is disabled',
};

/** True when the injection only slows the request down and the real handler should still answer. */
export function isDelayOnly(f: SimulatedRequestFailure): boolean {
  return f.httpStatus === undefined && f.body === undefined && f.code === undefined && f.msg === undefined;
}

export function injectedEnvelope(f: SimulatedRequestFailure): { code: number; msg: string } {
  const code = f.code ?? f.httpStatus ?? 500;
  return { code, msg: f.msg ?? DEFAULT_MESSAGES[code] ?? 'Error' };
}
