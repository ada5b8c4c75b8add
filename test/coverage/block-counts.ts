// V8 block coverage of one script as flat, sorted intervals: the execution count at any offset is
// the count of the innermost function or block range that contains it.
import type { FunctionCoverage } from './records.ts';

interface Interval {
  start: number;
  end: number;
  count: number;
}

/** Count lookup for one script's ranges (offsets in the code V8 ran); undefined outside every range. */
export function blockCounts(functions: FunctionCoverage[]): (offset: number) => number | undefined {
  const ranges = functions
    .flatMap((fn) => fn.ranges)
    .map(({ startOffset, endOffset, count }) => ({ start: startOffset, end: endOffset, count }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const intervals: Interval[] = [];
  const open: Interval[] = [];
  let position = 0;
  const emitUpTo = (end: number) => {
    const innermost = open.at(-1);
    if (innermost && end > position) intervals.push({ start: position, end, count: innermost.count });
    position = Math.max(position, end);
  };
  const closeInnermost = () => {
    emitUpTo(open.at(-1)!.end);
    open.pop();
  };
  for (const range of ranges) {
    while (open.length > 0 && open.at(-1)!.end <= range.start) closeInnermost();
    emitUpTo(range.start);
    position = range.start;
    open.push(range);
  }
  while (open.length > 0) closeInnermost();

  return (offset) => {
    let low = 0;
    let high = intervals.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const interval = intervals[middle]!;
      if (offset < interval.start) high = middle - 1;
      else if (offset >= interval.end) low = middle + 1;
      else return interval.count;
    }
    return undefined;
  };
}
