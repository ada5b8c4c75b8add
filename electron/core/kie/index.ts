// Public surface of the KIE client module.
export { createKieClient } from './client.ts';
export type { KieClient, KieClientOptions } from './client.ts';
export { isKieError, KieError } from './errors.ts';
