// Public entry of the in-repo KIE.AI simulator used by demo mode and the test suites.
export { createKieSimulator } from './simulator.ts';
export { webhookSignature } from './hmac.ts';
export type {
  CallbackLogEntry,
  FileFault,
  KieSimulator,
  SimulatedRequestFailure,
  SimulatedTaskSummary,
  SimulatorOptions,
} from './types.ts';
