// Public surface of the KIE client module.
export { createKieClient } from './client.ts';
export type { KieClient, KieClientOptions, SeparateInput } from './client.ts';
export { KieError, isKieError } from './errors.ts';
export type { KieErrorInit } from './errors.ts';
export { createRateLimiter } from './rate-limiter.ts';
export type { RateLimiter, RateLimiterOptions } from './rate-limiter.ts';
export { BASE64_MAX_BYTES, DEFAULT_UPLOAD_PATH } from './upload.ts';
export type { UploadInput, UploadResult } from './upload.ts';
export type { KieErrorCode } from '../../../shared/kie/errors.ts';
