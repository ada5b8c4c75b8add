// The coverage converter (test/coverage/): V8 block counts, source-map decoding, statement and branch
// probes, and a real V8 run of a small script read back line by line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { blockCounts } from '../coverage/block-counts.ts';
import type { ScriptCoverage } from '../coverage/records.ts';
import { lineRanges } from '../coverage/report.ts';
import { decodeMappings } from '../coverage/source-map.ts';
import { sourceProbes } from '../coverage/source-probes.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('coverage tools', () => {
  it('counts an offset by the innermost V8 range that holds it', () => {
    const countAt = blockCounts([
      { functionName: '', isBlockCoverage: true, ranges: [{ startOffset: 0, endOffset: 100, count: 1 }] },
      {
        functionName: 'f',
        isBlockCoverage: true,
        ranges: [
          { startOffset: 10, endOffset: 50, count: 3 },
          { startOffset: 20, endOffset: 30, count: 0 },
        ],
      },
    ]);
    expect([5, 10, 19, 20, 29, 30, 49, 50, 99].map(countAt)).toEqual([1, 3, 3, 0, 0, 3, 3, 1, 1]);
    expect(countAt(100)).toBeUndefined();
  });

  it('decodes source-map mappings (relative fields, several lines and sources)', () => {
    // Line 0: col 0 → source 0, 0:0; col 4 → 0:4. Line 2: col 2 → source 1, 1:7 (each field relative).
    expect(decodeMappings('AAAA,IAAI;;ECCG')).toEqual([
      { generatedLine: 0, generatedColumn: 0, source: 0, line: 0, column: 0 },
      { generatedLine: 0, generatedColumn: 4, source: 0, line: 0, column: 4 },
      { generatedLine: 2, generatedColumn: 2, source: 1, line: 1, column: 7 },
    ]);
  });

  it('finds statements and branch arms, ignoring types, imports and comments', () => {
    const text = [
      "import { x } from './x.ts';", // 0
      'interface Shape { size: number }', // 1
      '// a comment', // 2
      'export function area(shape: Shape, ok: boolean): number {', // 3
      '  if (ok) return shape.size;', // 4
      '  else return x ?? 0;', // 5
      '}', // 6
    ].join('\n');
    const probes = sourceProbes('area.ts', text);
    expect([...new Set(probes.statements.map((probe) => probe.line))]).toEqual([4, 5]);
    expect(probes.branches.map((probe) => `${probe.line}:${probe.column}`)).toEqual(['4:10', '5:7', '5:19']);
  });

  it('reads a real V8 run back: the function that ran is counted, the branch that did not is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stemhook-coverage-'));
    dirs.push(dir);
    const script = join(dir, 'sample.ts');
    const text = [
      'function pick(flag: boolean): string {',
      '  if (flag) {',
      "    return 'yes';",
      '  }',
      "  return 'no';",
      '}',
      'function never(): number {',
      '  return 1;',
      '}',
      'console.log(pick(true), typeof never);',
    ].join('\n');
    writeFileSync(script, text);
    execFileSync(process.execPath, [script], { env: { ...process.env, NODE_V8_COVERAGE: join(dir, 'v8') } });
    const [file] = readdirSync(join(dir, 'v8'));
    const { result } = JSON.parse(readFileSync(join(dir, 'v8', file!), 'utf8')) as {
      result: ScriptCoverage[];
    };
    const sample = result.find((entry) => entry.url === pathToFileURL(script).href)!;
    const countAt = blockCounts(sample.functions);
    const offsetOf = (line: number, column: number) =>
      text
        .split('\n')
        .slice(0, line)
        .reduce((sum, before) => sum + before.length + 1, column);
    const ranByLine = sourceProbes('sample.ts', text).statements.map((probe) => [
      probe.line + 1,
      (countAt(offsetOf(probe.line, probe.column)) ?? 0) > 0,
    ]);
    expect(ranByLine).toEqual([
      [2, true],
      [3, true],
      [5, false],
      [8, false],
      [10, true],
    ]);
    expect(lineRanges([5, 8, 9, 10])).toBe('5, 8-10');
  });
});
