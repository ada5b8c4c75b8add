// Credits and rate limits, answered in the code family the options select (KIE: 402/429, sunoapi: 429/405).
import type { OperationKind, SimulatorOptions } from './types.ts';

export interface Envelope {
  code: number;
  msg: string;
  data: unknown;
}

const CREDITS_MSG = 'The current credits are insufficient. Please top up.';
const RATE_MSG = 'Your request rate is too high. Please slow down and try again later.';
const CREATE_LIMIT = 20;
const CREATE_WINDOW_MS = 10_000;
const RECORD_INFO_LIMIT = 3;

export interface Guards {
  credits(): number;
  setCredits(n: number): void;
  /** Charges the operation, or returns the error envelope when the balance is too low. */
  charge(op: OperationKind): Envelope | null;
  refund(amount: number): void;
  /** Counts a task-creating request; returns the error envelope when over 20 per 10 s. */
  checkCreateRate(): Envelope | null;
  /** Counts a record-info lookup; returns the error envelope when over 3 per second for that task. */
  checkRecordInfoRate(taskId: string): Envelope | null;
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;

export function createGuards(options: () => SimulatorOptions, now: () => number = Date.now): Guards {
  let balance = options().credits;
  const creates: number[] = [];
  const lookups = new Map<string, number[]>();
  const rateLimited = (): Envelope => ({
    code: options().creditErrorFamily === 'kie' ? 429 : 405,
    msg: RATE_MSG,
    data: null,
  });
  const withinWindow = (times: number[], windowMs: number, limit: number): boolean => {
    const t = now();
    while (times.length > 0 && (times[0] ?? 0) <= t - windowMs) times.shift();
    if (times.length >= limit) return false;
    times.push(t);
    return true;
  };

  return {
    credits: () => balance,
    setCredits: (n) => void (balance = round(n)),
    charge: (op) => {
      const cost = options().costs[op];
      if (balance < cost) {
        return { code: options().creditErrorFamily === 'kie' ? 402 : 429, msg: CREDITS_MSG, data: null };
      }
      balance = round(balance - cost);
      return null;
    },
    refund: (amount) => void (balance = round(balance + amount)),
    checkCreateRate: () => (withinWindow(creates, CREATE_WINDOW_MS, CREATE_LIMIT) ? null : rateLimited()),
    checkRecordInfoRate: (taskId) => {
      const times = lookups.get(taskId) ?? [];
      lookups.set(taskId, times);
      return withinWindow(times, 1000, RECORD_INFO_LIMIT) ? null : rateLimited();
    },
  };
}
