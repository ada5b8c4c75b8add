// Runs a task's stages on the simulator clock and hands each stage's callbacks to the dispatcher, applying the
// skip-intermediate and shuffle knobs (shuffled callbacks are held until the task ends, then sent out of order).
import type { SimContext } from './context.ts';
import { createRandom, hashSeed } from './ids.ts';

export interface StageOutcome {
  bodies: unknown[];
  /** text/first music stages, which skipIntermediateStages suppresses. */
  isIntermediate?: boolean;
  /** Ends the task (success or failure). */
  isFinal?: boolean;
}

export interface Stage {
  delayMs: number;
  run(): StageOutcome;
}

/** Seeded shuffle that never returns the original order (reversing it if the draw happens to). */
function shuffleCallbacks<T>(items: T[], seed: number): T[] {
  const out = [...items];
  const random = createRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out.every((item, i) => item === items[i]) ? out.reverse() : out;
}

export function runTask(ctx: SimContext, task: { id: string; callBackUrl: string }, stages: Stage[]): void {
  ctx.lifecycle.spawn(async () => {
    const held: unknown[] = [];
    for (const stage of stages) {
      await ctx.lifecycle.sleep(stage.delayMs);
      const outcome = stage.run();
      const options = ctx.options();
      if (!(outcome.isIntermediate && options.skipIntermediateStages)) {
        if (options.shuffleCallbacks) held.push(...outcome.bodies);
        else ctx.callbacks.send(task.id, task.callBackUrl, outcome.bodies);
      }
      if (outcome.isFinal) break;
    }
    if (held.length > 0) {
      ctx.callbacks.send(
        task.id,
        task.callBackUrl,
        shuffleCallbacks(held, hashSeed('shuffle', ctx.options().seed, task.id)),
      );
    }
  });
}
