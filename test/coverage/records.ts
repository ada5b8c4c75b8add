// What the coverage collectors write and which files count: the shipped sources of this repository.
import { relative, resolve, sep } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** Set by `npm run coverage`: the folder collectors write to (absent: tests collect nothing). */
export const COVERAGE_DIR_ENV = 'STEMHOOK_COVERAGE_DIR';
/** Set by collect-vitest.ts in each test worker: which test file's records are being written. */
export const COVERAGE_TEST_ENV = 'STEMHOOK_COVERAGE_TEST';

/**
 * Records sit in one folder per test file (`<dir>/<kind>/<slug>/`), so a report can leave some
 * tests out (`npm run coverage -- --merge-only --without <test file>`).
 */
export function testSlug(testPath: string): string {
  return relative(ROOT, testPath).split(sep).join('__');
}

/** One V8 function entry as both the inspector and Chromium report it. */
export interface FunctionCoverage {
  functionName: string;
  isBlockCoverage: boolean;
  ranges: { startOffset: number; endOffset: number; count: number }[];
}

/** One script a process ran; `source` is the code V8 ran when it differs from the file on disk. */
export interface ScriptCoverage {
  url: string;
  source?: string;
  /** The source map of `source` (JSON), when it is not inline. */
  sourceMap?: string;
  functions: FunctionCoverage[];
}

const SHIPPED_ROOTS = ['electron', 'renderer', 'shared'];

/** Repository-relative path of a shipped source file, or undefined for anything else. */
export function shippedPath(absolutePath: string): string | undefined {
  const path = relative(ROOT, absolutePath).split(sep).join('/');
  if (path.startsWith('..') || path.includes('node_modules/')) return undefined;
  if (!SHIPPED_ROOTS.includes(path.split('/')[0]!)) return undefined;
  // Build-time tools (icon generation) never ship.
  if (path.startsWith('electron/resources/')) return undefined;
  return /\.(ts|tsx|js)$/.test(path) && !path.endsWith('.d.ts') ? path : undefined;
}

export function isProjectSource(absolutePath: string): boolean {
  return shippedPath(absolutePath) !== undefined;
}
