// Round-robin claims across tasks (issue 9 item 9): the pick balances running downloads per task,
// breaks ties by who was served least recently, and keeps each task's own rows oldest first.
import { describe, expect, it } from 'vitest';
import { pickFairly } from '../../electron/core/pipeline/fair-order.ts';

const due = (...ids: string[]) => ids.map((id) => ({ row: id, taskId: id.charAt(0) }));
const rows = (picked: Array<{ row: string }>) => picked.map((p) => p.row);

describe('pickFairly', () => {
  it('alternates between tasks instead of draining the oldest one', () => {
    expect(rows(pickFairly(due('a1', 'a2', 'a3', 'b1', 'b2'), new Map(), new Map(), 5))).toEqual([
      'a1',
      'b1',
      'a2',
      'b2',
      'a3',
    ]);
  });

  it('gives free slots to the task with the fewest running downloads first', () => {
    const running = new Map([['a', 3]]);
    expect(rows(pickFairly(due('a1', 'a2', 'b1', 'b2', 'c1'), running, new Map(), 3))).toEqual([
      'b1',
      'c1',
      'b2',
    ]);
  });

  it('on equal load serves the task that waited longest since its last turn', () => {
    const lastServed = new Map([
      ['a', 7],
      ['b', 3],
    ]);
    expect(rows(pickFairly(due('a1', 'b1'), new Map(), lastServed, 1))).toEqual(['b1']);
    expect(rows(pickFairly(due('a1', 'b1', 'c1'), new Map(), lastServed, 1))).toEqual(['c1']);
  });

  it('never picks more than is free or than is due', () => {
    expect(pickFairly(due('a1', 'b1'), new Map(), new Map(), 0)).toEqual([]);
    expect(rows(pickFairly(due('a1'), new Map(), new Map(), 4))).toEqual(['a1']);
  });
});
