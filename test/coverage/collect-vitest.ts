// Vitest setup file in coverage mode: records V8 block coverage of this test worker through the
// inspector and writes, after each test file, every project script it ran with the code V8 executed
// (Vite's transform) and the source map Vitest sent along with it (leading back to the .ts source).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import {
  COVERAGE_DIR_ENV,
  COVERAGE_TEST_ENV,
  isProjectSource,
  testSlug,
  type ScriptCoverage,
} from './records.ts';

const outDir = process.env[COVERAGE_DIR_ENV];

/**
 * Vitest keeps each module's source map next to its code in the worker's module graph (it does not
 * inline it); that is internal, so a missing map only means the script is skipped (and counted).
 */
interface VitestWorker {
  evaluatedModules?: { fileToModulesMap?: Map<string, Set<{ meta?: { sourceMap?: string } }>> };
}

function sourceMapOf(path: string): string | undefined {
  const worker = (globalThis as { __vitest_worker__?: VitestWorker }).__vitest_worker__;
  for (const module of worker?.evaluatedModules?.fileToModulesMap?.get(path) ?? [])
    if (module.meta?.sourceMap) return module.meta.sourceMap;
  return undefined;
}

interface WorkerState {
  session: Session;
}
const stateKey = Symbol.for('stemhook.coverage.worker');
const globals = globalThis as { [stateKey]?: Promise<WorkerState> };

async function startOnce(): Promise<WorkerState> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Debugger.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  return { session };
}

async function writeCoverage(state: WorkerState, dir: string): Promise<void> {
  const { result } = await state.session.post('Profiler.takePreciseCoverage');
  const scripts: ScriptCoverage[] = [];
  const unmapped: string[] = [];
  for (const script of result) {
    const path = script.url.startsWith('file://') ? fileURLToPath(script.url) : script.url;
    if (!isProjectSource(path)) continue;
    const sourceMap = sourceMapOf(path);
    if (!sourceMap) {
      unmapped.push(path);
      continue;
    }
    const { scriptSource } = await state.session.post('Debugger.getScriptSource', {
      scriptId: script.scriptId,
    });
    scripts.push({ url: script.url, source: scriptSource, sourceMap, functions: script.functions });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `vitest-${process.pid}-${randomUUID()}.json`),
    JSON.stringify({ scripts, unmapped }),
  );
}

if (outDir) {
  globals[stateKey] ??= startOnce();
  // Children this test file starts (they inherit the environment) and its pages write to its folder.
  const slug = testSlug(expect.getState().testPath ?? 'unknown');
  process.env.NODE_V8_COVERAGE = join(outDir, 'v8', slug);
  process.env[COVERAGE_TEST_ENV] = slug;
  afterAll(async () => {
    const state = await globals[stateKey];
    if (state) await writeCoverage(state, join(outDir, 'scripts', slug));
  });
}
