// The base of every error the core throws on purpose: a stable `code` the UI and the CLI can act
// on and a message written for the producer. `toApiError` passes these through by type; any other
// error is a bug and reaches the producer only as a generic sentence.

export class StemhookError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.name = 'StemhookError';
    this.code = code;
  }
}
