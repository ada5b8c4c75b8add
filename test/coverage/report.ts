// Turns merged per-file coverage into the printed report: totals per area, then the least-covered files.
import type { FileCoverage } from './merge.ts';

/** The top-level area a file belongs to: a core folder, the shell, a renderer feature, shared. */
export function areaOf(path: string): string {
  const parts = path.split('/') as [string, ...string[]];
  if (parts[0] === 'electron' && parts[1] === 'core') {
    if (parts.length === 3) return parts[2] === 'cli.ts' ? 'electron/core/cli' : 'electron/core';
    return `electron/core/${parts[2]}`;
  }
  if (parts[0] === 'electron') return parts[1] === 'bin' ? 'electron/bin' : 'electron/shell';
  if (parts[0] === 'renderer') return parts.length > 3 ? `renderer/${parts[2]}` : 'renderer';
  return parts[0];
}

function percent(covered: number, total: number): string {
  return total === 0 ? '–' : `${((100 * covered) / total).toFixed(1)} %`;
}

/** 3,4,5,9 → "3-5, 9" */
export function lineRanges(lines: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    ranges.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}

interface Totals {
  files: number;
  lines: number;
  coveredLines: number;
  branches: number;
  coveredBranches: number;
}

function totalsOf(files: FileCoverage[]): Totals {
  return files.reduce(
    (sum, file) => ({
      files: sum.files + 1,
      lines: sum.lines + file.lines.total,
      coveredLines: sum.coveredLines + file.lines.covered,
      branches: sum.branches + file.branches.total,
      coveredBranches: sum.coveredBranches + file.branches.covered,
    }),
    { files: 0, lines: 0, coveredLines: 0, branches: 0, coveredBranches: 0 },
  );
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The Markdown report: one table of areas (and the total), one of the `worst` least-covered files. */
export function formatReport(files: FileCoverage[], worst = 20): string {
  const areas = new Map<string, FileCoverage[]>();
  for (const file of files) areas.set(areaOf(file.path), [...(areas.get(areaOf(file.path)) ?? []), file]);
  const areaRow = (name: string, totals: Totals) =>
    row([
      name,
      totals.files,
      `${percent(totals.coveredLines, totals.lines)} (${totals.coveredLines}/${totals.lines})`,
      `${percent(totals.coveredBranches, totals.branches)} (${totals.coveredBranches}/${totals.branches})`,
    ]);
  const all = totalsOf(files);
  const leastCovered = files
    .filter((file) => file.lines.uncovered.length > 0)
    .sort(
      (a, b) =>
        a.lines.covered / a.lines.total - b.lines.covered / b.lines.total ||
        b.lines.uncovered.length - a.lines.uncovered.length,
    )
    .slice(0, worst);
  return [
    row(['Area', 'Files', 'Lines', 'Branches']),
    row(['---', '---:', '---:', '---:']),
    ...[...areas].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => areaRow(name, totalsOf(list))),
    areaRow('**all shipped code**', all),
    '',
    `The ${leastCovered.length} least-covered files:`,
    '',
    row(['File', 'Lines', 'Uncovered lines']),
    row(['---', '---:', '---']),
    ...leastCovered.map((file) =>
      row([
        `\`${file.path}\``,
        `${percent(file.lines.covered, file.lines.total)} (${file.lines.covered}/${file.lines.total})`,
        lineRanges(file.lines.uncovered),
      ]),
    ),
  ].join('\n');
}
