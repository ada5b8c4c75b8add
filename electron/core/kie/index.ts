// Public surface of the KIE client module.
export { createKieClient } from './client.ts';
export type { KieClient, KieClientOptions } from './client.ts';
export { KieError } from './errors.ts';
