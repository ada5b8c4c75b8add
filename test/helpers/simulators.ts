// Simulator harnesses for a test file: each test starts the ones it needs, and all close after each test.
import { afterEach } from 'vitest';
import type { SimulatorOptions } from '../../electron/core/simulator/index.ts';
import { createSimulatorHarness, type SimulatorHarness } from '../../electron/core/simulator/harness.ts';

/** Returns `start(options)`: a harness with the file's defaults overridden by `options`. */
export function simulatorPerTest(
  defaults: Partial<SimulatorOptions>,
): (options?: Partial<SimulatorOptions>) => Promise<SimulatorHarness> {
  const harnesses: SimulatorHarness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });
  return async (options = {}) => {
    const harness = await createSimulatorHarness({ ...defaults, ...options });
    harnesses.push(harness);
    return harness;
  };
}
