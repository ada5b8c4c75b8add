// Computes a split's residual (source − all stems) from the PCM caches as steps a pool of decode
// workers runs: one alignment (residual-plan.ts), then the frames cut into parts computed in
// parallel, each writing its range of the output (residual-part.ts), then one step that joins the
// parts' peaks and sums and publishes the files (residual-finish.ts). The output is the same, bit
// for bit, however many parts there are.
import { rm } from 'node:fs/promises';
import { IngestError, toIngestError } from '../errors.ts';
import { partPaths } from '../output-paths.ts';
import { finishResidual } from './residual-finish.ts';
import { CHUNK_FRAMES, computeResidualPart } from './residual-part.ts';
import { planResidual } from './residual-plan.ts';
import type { ResidualInput, ResidualResult, ResidualStep, ResidualStepResult } from './types.ts';

/** Runs one step where the caller wants it: a decode worker, or this thread. */
export type RunResidualStep = <J extends ResidualStep>(step: J) => Promise<ResidualStepResult<J>>;

/** One step, here: what a decode worker calls for a residual job. */
export async function runResidualStep<J extends ResidualStep>(step: J): Promise<ResidualStepResult<J>>;
export async function runResidualStep(step: ResidualStep): Promise<ResidualStepResult<ResidualStep>> {
  if (step.format === 'residual-plan') return planResidual(step);
  if (step.format === 'residual-part') return computeResidualPart(step.plan, step.from, step.to);
  return finishResidual(step.plan, step.parts);
}

/** [0, frames) cut into at most `parts` ranges of whole chunks (the last one may end mid-chunk). */
export function partRanges(frames: number, parts: number): Array<{ from: number; to: number }> {
  const chunks = Math.max(1, Math.ceil(frames / CHUNK_FRAMES));
  const perPart = Math.ceil(chunks / Math.max(1, Math.floor(parts)));
  const ranges = [];
  for (let chunk = 0; chunk < chunks; chunk += perPart)
    ranges.push({
      from: Math.min(frames, chunk * CHUNK_FRAMES),
      to: Math.min(frames, (chunk + perPart) * CHUNK_FRAMES),
    });
  return ranges;
}

/** A worker that died says so in words; nothing of the residual is left behind in either case. */
function plainError(error: unknown): IngestError {
  const ingestError = toIngestError(error);
  if (ingestError.code !== 'internal') return ingestError;
  return new IngestError(
    'internal',
    `The residual could not be computed (${ingestError.message}); nothing was saved, try again.`,
  );
}

export async function computeResidual(
  input: ResidualInput,
  runStep: RunResidualStep,
  parts: number,
): Promise<ResidualResult> {
  const startedAt = performance.now();
  const { outBase } = input;
  try {
    const plan = await runStep({ format: 'residual-plan', ...input });
    // Every part is waited for, even after one failed: none may still write when the files go.
    const settled = await Promise.allSettled(
      partRanges(plan.frames, parts).map((range) =>
        runStep({ format: 'residual-part', outBase, plan, ...range }),
      ),
    );
    const done = [];
    for (const part of settled) {
      if (part.status === 'rejected') throw part.reason;
      done.push(part.value);
    }
    const result = await runStep({ format: 'residual-finish', outBase, plan, parts: done });
    const cpuMs = plan.cpuMs + result.cpuMs + done.reduce((sum, part) => sum + part.cpuMs, 0);
    return { ...result, computeMs: Math.round(performance.now() - startedAt), cpuMs: Math.round(cpuMs) };
  } catch (error) {
    await Promise.all(partPaths(outBase).map((path) => rm(path, { force: true })));
    throw plainError(error);
  }
}
