// The store's own failures, with a code the host maps to a plain message for the producer.
export class StoreError extends Error {
  code: 'newer_database' | 'migration_failed';
  constructor(code: StoreError['code'], message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
