// The transfer watchdog both the host's downloads and the studio's PCM reads run under
// (shared/transfer-watchdog.ts), on a clock the test moves by hand: which limit it reports, that
// progress keeps a transfer alive, and that nothing fires once it is stopped or has fired.
import { describe, expect, it } from 'vitest';
import {
  startWatchdog,
  type CrossedLimit,
  type TransferLimits,
  type WatchdogClock,
} from '../../shared/transfer-watchdog.ts';

/** A clock whose time moves only when `advance` is called, running timers as they fall due. */
function manualClock(): WatchdogClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: Array<{ at: number; run: () => void }> = [];
  return {
    now: () => now,
    schedule(run, ms) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => (timers = timers.filter((t) => t !== timer));
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((t) => t !== next);
        now = next.at;
        next.run();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

function watch(limits: TransferLimits) {
  const clock = manualClock();
  const crossed: CrossedLimit[] = [];
  const watchdog = startWatchdog(limits, (limit) => crossed.push(limit), clock);
  return { clock, crossed, watchdog };
}

const LIMITS: TransferLimits = { stallMs: 1000, deadlineMs: 10_000, minThroughput: null };

describe('the transfer watchdog', () => {
  it('reports a stall once nothing has come for stallMs, and not before', () => {
    const { clock, crossed } = watch(LIMITS);
    clock.advance(999);
    expect(crossed).toEqual([]);
    clock.advance(1);
    expect(crossed).toEqual([{ kind: 'stall', stallMs: 1000 }]);
    clock.advance(20_000);
    expect(crossed).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('keeps a transfer alive while bytes or other progress come, and ends a drip at the deadline', () => {
    const { clock, crossed, watchdog } = watch(LIMITS);
    for (let t = 0; t < 9_900; t += 900) {
      clock.advance(900);
      if (t % 1800 === 0) watchdog.received(1);
      else watchdog.touch();
    }
    expect(crossed).toEqual([]);
    clock.advance(200);
    expect(crossed).toEqual([{ kind: 'deadline', deadlineMs: 10_000 }]);
  });

  it('ends a drip under the throughput floor at the end of its window', () => {
    const floor = { bytes: 1000, windowMs: 3000 };
    const { clock, crossed, watchdog } = watch({ ...LIMITS, minThroughput: floor });
    for (let i = 0; i < 5; i++) {
      clock.advance(500);
      watchdog.received(1500); // a healthy first window
    }
    // From 3 s a drip: 10 bytes every 0.5 s, often enough for the stall limit, too little for the floor.
    for (let i = 0; i < 6; i++) {
      clock.advance(500);
      watchdog.received(10);
    }
    expect(crossed).toEqual([]);
    clock.advance(500);
    expect(crossed).toEqual([{ kind: 'throughput', bytes: 60, floor }]);
  });

  it('fires nothing once stopped', () => {
    const { clock, crossed, watchdog } = watch(LIMITS);
    clock.advance(500);
    watchdog.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(60_000);
    expect(crossed).toEqual([]);
  });
});
