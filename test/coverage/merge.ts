// Merges every process's V8 coverage into per-file line and branch coverage of the original sources:
// Node children (type-stripped .ts runs at its own offsets), Vitest workers (Vite's transform plus its
// source map) and bundles (Chromium pages, the packaged app's main) through the build's source maps.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockCounts } from './block-counts.ts';
import { ROOT, shippedPath, testSlug, type ScriptCoverage } from './records.ts';
import { decodeMappings, type RawSourceMap } from './source-map.ts';
import { sourceProbes, type Probe } from './source-probes.ts';

/** Execution count at an original position as one process saw it; undefined: that process has no data there. */
type CountAt = (probe: Probe) => number | undefined;

export interface FileCoverage {
  path: string;
  lines: { total: number; covered: number; uncovered: number[] };
  branches: { total: number; covered: number };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

const fileTexts = new Map<string, string>();
function readSource(path: string): string {
  let text = fileTexts.get(path);
  if (text === undefined) fileTexts.set(path, (text = readFileSync(join(ROOT, path), 'utf8')));
  return text;
}

function pathOf(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url;
}

/**
 * The source map of a built bundle (`out/<area>/…`), kept aside under `<dir>/maps/` by the coverage
 * build, and the bundle in this build's out/ (a packed copy the tests ran is gone by now).
 */
function bundleMap(
  coverageDir: string,
  url: string,
): { map: RawSourceMap; base: string; bundle: string } | undefined {
  const path = url.startsWith('http') ? `renderer${new URL(url).pathname}` : pathOf(url);
  const relative = path.includes('/out/') ? path.slice(path.lastIndexOf('/out/') + 5) : path;
  const mapFile = join(coverageDir, 'maps', `${relative}.map`);
  if (!existsSync(mapFile)) return undefined;
  return {
    map: JSON.parse(readFileSync(mapFile, 'utf8')) as RawSourceMap,
    base: join(ROOT, 'out', dirname(relative)),
    bundle: join(ROOT, 'out', relative),
  };
}

/** Count lookups per original file for code V8 ran in a transformed or bundled form. */
function mappedCounts(
  script: ScriptCoverage,
  source: string,
  map: RawSourceMap,
  base: string,
): Map<string, CountAt> {
  const starts = lineStarts(source);
  const counts = blockCounts(script.functions);
  const sources = map.sources.map((name) => shippedPath(resolve(base, map.sourceRoot ?? '', name)));
  const points = new Map<string, { line: number; column: number; count: number }[]>();
  for (const segment of decodeMappings(map.mappings)) {
    const path = sources[segment.source];
    if (!path || segment.generatedLine >= starts.length) continue;
    const count = counts(starts[segment.generatedLine]! + segment.generatedColumn) ?? 0;
    const list = points.get(path) ?? [];
    list.push({ line: segment.line, column: segment.column, count });
    points.set(path, list);
  }
  const lookups = new Map<string, CountAt>();
  for (const [path, list] of points) {
    list.sort((a, b) => a.line - b.line || a.column - b.column);
    lookups.set(path, (probe) => {
      // The last mapped point at or before the probe; a probe before any point on its line takes
      // that line's first point (a statement's own tokens), else the code that precedes it.
      let low = 0;
      let high = list.length - 1;
      let before = -1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const point = list[middle]!;
        if (point.line < probe.line || (point.line === probe.line && point.column <= probe.column)) {
          before = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
      const next = list[before + 1];
      const last = list[before];
      if ((!last || last.line < probe.line) && next?.line === probe.line) return next.count;
      return last?.count;
    });
  }
  return lookups;
}

/** A script Node ran from the file itself (type stripping keeps every offset). */
function directCounts(script: ScriptCoverage, path: string): CountAt {
  const starts = lineStarts(readSource(path));
  const counts = blockCounts(script.functions);
  return (probe) => counts(starts[probe.line]! + probe.column) ?? 0;
}

function countsOf(coverageDir: string, script: ScriptCoverage): Map<string, CountAt> {
  if (script.source && script.sourceMap) {
    const map = JSON.parse(script.sourceMap) as RawSourceMap;
    return mappedCounts(script, script.source, map, dirname(pathOf(script.url)));
  }
  const bundle = bundleMap(coverageDir, script.url);
  if (bundle) {
    const source = script.source ?? readFileSync(bundle.bundle, 'utf8');
    return mappedCounts(script, source, bundle.map, bundle.base);
  }
  const path = script.url.startsWith('file://') ? shippedPath(pathOf(script.url)) : undefined;
  return path ? new Map([[path, directCounts(script, path)]]) : new Map();
}

const VITEST_RUNTIME = /\/node_modules\/vitest\/(vitest\.mjs|dist\/workers\/)/;

/**
 * Every script record under `<dir>/v8` (NODE_V8_COVERAGE), `<dir>/scripts` (Vitest workers) and
 * `<dir>/browser` (pages), except those of the test files in `withoutTests` (slugs, see testSlug).
 */
function* scriptRecords(coverageDir: string, withoutTests: Set<string>): Generator<ScriptCoverage> {
  for (const folder of ['v8', 'scripts', 'browser']) {
    const root = join(coverageDir, folder);
    if (!existsSync(root)) continue;
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.json') && !withoutTests.has(file.split(sep)[0]!),
    );
    for (const name of files) {
      const data = JSON.parse(readFileSync(join(root, name), 'utf8')) as {
        result?: ScriptCoverage[];
        scripts?: ScriptCoverage[];
      };
      // A Vitest process's own NODE_V8_COVERAGE dump names Vite-transformed code after the .ts
      // files; its workers report through collect-vitest.ts instead.
      if (data.result?.some((script) => VITEST_RUNTIME.test(script.url))) continue;
      yield* data.result ?? data.scripts ?? [];
    }
  }
}

function listShippedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (shippedPath(join(ROOT, path))) files.push(path);
    }
  };
  for (const root of ['electron', 'renderer', 'shared']) walk(root);
  return files.sort();
}

/** Merged coverage of every shipped file (a file no process loaded counts as wholly uncovered). */
export function mergeCoverage(coverageDir: string, withoutTests: string[] = []): FileCoverage[] {
  const lookups = new Map<string, CountAt[]>();
  for (const script of scriptRecords(coverageDir, new Set(withoutTests.map(testSlug)))) {
    const isShippedOrBundle =
      script.url.startsWith('http') || script.url.includes('/out/') || shippedPath(pathOf(script.url));
    if (!isShippedOrBundle) continue;
    for (const [path, countAt] of countsOf(coverageDir, script))
      lookups.set(path, [...(lookups.get(path) ?? []), countAt]);
  }
  return listShippedFiles().map((path) => {
    const seen = lookups.get(path) ?? [];
    const isRun = (probe: Probe) => seen.some((countAt) => (countAt(probe) ?? 0) > 0);
    const probes = sourceProbes(path, readSource(path));
    const lineRun = new Map<number, boolean>();
    for (const probe of probes.statements)
      lineRun.set(probe.line, (lineRun.get(probe.line) ?? false) || isRun(probe));
    const uncovered = [...lineRun]
      .filter(([, run]) => !run)
      .map(([line]) => line + 1)
      .sort((a, b) => a - b);
    return {
      path,
      lines: { total: lineRun.size, covered: lineRun.size - uncovered.length, uncovered },
      branches: { total: probes.branches.length, covered: probes.branches.filter(isRun).length },
    };
  });
}
