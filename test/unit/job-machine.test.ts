// The task state machine: the full (state, event) table, stickiness, idempotence and a seeded
// random walk proving the state never moves backwards.
import { describe, expect, it } from 'vitest';
import { transition, type JobEvent } from '../../shared/job-machine.ts';
import { TASK_STATES, isTerminal, type TaskState } from '../../shared/domain.ts';
import { createRandom } from '../../electron/core/simulator/ids.ts';

const FAIL: JobEvent = { type: 'fail', error: { code: 'kie_501', message: 'failed' } };
const EVENTS: Record<string, JobEvent> = {
  text: { type: 'stage', stage: 'text' },
  first: { type: 'stage', stage: 'first' },
  complete: { type: 'stage', stage: 'complete' },
  fail: FAIL,
};
const RANK: Record<TaskState, number> = { submitted: 0, text: 1, first: 2, complete: 3, failed: 3 };

// Every pair spelled out, so a change to the machine has to change this table too.
const TABLE: Array<[TaskState, keyof typeof EVENTS, TaskState]> = [
  ['submitted', 'text', 'text'],
  ['submitted', 'first', 'first'],
  ['submitted', 'complete', 'complete'],
  ['submitted', 'fail', 'failed'],
  ['text', 'text', 'text'],
  ['text', 'first', 'first'],
  ['text', 'complete', 'complete'],
  ['text', 'fail', 'failed'],
  ['first', 'text', 'first'],
  ['first', 'first', 'first'],
  ['first', 'complete', 'complete'],
  ['first', 'fail', 'failed'],
  ['complete', 'text', 'complete'],
  ['complete', 'first', 'complete'],
  ['complete', 'complete', 'complete'],
  ['complete', 'fail', 'complete'],
  ['failed', 'text', 'failed'],
  ['failed', 'first', 'failed'],
  ['failed', 'complete', 'failed'],
  ['failed', 'fail', 'failed'],
];

describe('transition table', () => {
  it('covers all 5 states × 4 events', () => {
    expect(TABLE).toHaveLength(TASK_STATES.length * Object.keys(EVENTS).length);
    for (const state of TASK_STATES) {
      for (const name of Object.keys(EVENTS)) {
        expect(TABLE.some(([s, e]) => s === state && e === name)).toBe(true);
      }
    }
  });

  it.each(TABLE)('%s + %s → %s', (state, name, expected) => {
    const step = transition(state, EVENTS[name] as JobEvent);
    expect(step.next).toBe(expected);
    expect(step.changed).toBe(expected !== state);
    if (step.changed) expect(step.note).toBeNull();
    else expect(step.note).toEqual(expect.any(String));
    if (!step.changed) expect(step.note?.length).toBeGreaterThan(0);
  });

  it('explains refusals in words that say which case it was', () => {
    expect(transition('text', EVENTS.text as JobEvent).note).toMatch(/duplicate/);
    expect(transition('first', EVENTS.text as JobEvent).note).toMatch(/late/);
    expect(transition('complete', EVENTS.complete as JobEvent).note).toMatch(/duplicate/);
    expect(transition('failed', FAIL).note).toMatch(/duplicate/);
    expect(transition('complete', FAIL).note).toMatch(/complete/);
    expect(transition('failed', EVENTS.complete as JobEvent).note).toMatch(/failed/);
  });
});

describe('terminal states', () => {
  it('are sticky against every event', () => {
    for (const state of TASK_STATES.filter(isTerminal)) {
      for (const event of Object.values(EVENTS)) {
        expect(transition(state, event)).toMatchObject({ next: state, changed: false });
      }
    }
  });
});

describe('idempotence', () => {
  it('applying an event twice equals applying it once', () => {
    for (const state of TASK_STATES) {
      for (const event of Object.values(EVENTS)) {
        const once = transition(state, event);
        const twice = transition(once.next, event);
        expect(twice.next).toBe(once.next);
        expect(twice.changed).toBe(false);
        expect(twice.note).not.toBeNull();
      }
    }
  });
});

describe('random event sequences', () => {
  it('never lower the rank and never leave a terminal state (500 seeded sequences)', () => {
    const events = Object.values(EVENTS);
    for (let seed = 1; seed <= 500; seed++) {
      const random = createRandom(seed);
      let state: TaskState = 'submitted';
      let terminalAt: TaskState | null = null;
      const length = 1 + Math.floor(random() * 20);
      for (let i = 0; i < length; i++) {
        const event = events[Math.floor(random() * events.length)] as JobEvent;
        const step = transition(state, event);
        expect(RANK[step.next], `seed ${seed} step ${i}`).toBeGreaterThanOrEqual(RANK[state]);
        expect(step.changed).toBe(step.next !== state);
        if (terminalAt) expect(step.next, `seed ${seed} step ${i}`).toBe(terminalAt);
        state = step.next;
        if (isTerminal(state)) terminalAt = state;
      }
    }
  });

  it('reach the highest stage seen when no failure occurs, in any order', () => {
    const stages = ['text', 'first', 'complete'] as const;
    for (let seed = 1; seed <= 200; seed++) {
      const random = createRandom(seed * 7919);
      let state: TaskState = 'submitted';
      let best: TaskState = 'submitted';
      for (let i = 0; i < 6; i++) {
        const stage = stages[Math.floor(random() * stages.length)] ?? 'text';
        state = transition(state, { type: 'stage', stage }).next;
        if (RANK[stage] > RANK[best]) best = stage;
      }
      expect(state).toBe(best);
    }
  });
});
