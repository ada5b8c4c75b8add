// The store's own failures, with a code the host maps to a plain message for the producer.
import { StemhookError } from '../stemhook-error.ts';

export class StoreError extends StemhookError<'newer_database' | 'migration_failed'> {
  constructor(code: StoreError['code'], message: string) {
    super(code, message);
    this.name = 'StoreError';
  }
}
