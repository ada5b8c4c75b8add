// Every line the `stemhook` command prints goes through here. Strings from callbacks and KIE (take
// ids, titles, error messages) may carry ANSI escapes or other control characters: a take id once
// cleared the producer's terminal. Human output drops them; JSON output escapes them.

// CSI (`ESC [ … final`, or the one-byte C1 CSI), OSC (`ESC ] … BEL|ST`) and two-byte `ESC x`
// sequences, removed whole.
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
// C0 controls except tab and newline, DEL, C1 controls, and bidi overrides that reorder text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// In JSON, C0 controls are already escaped by JSON.stringify; escape the rest the same way.
const UNESCAPED_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with escape sequences and control characters removed (tabs and newlines kept). */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** Pretty JSON whose strings keep their values but cannot drive the terminal. */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    UNESCAPED_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Prints one line (or block) of human output on stdout. */
export function printOut(text: string): void {
  process.stdout.write(`${terminalSafe(text)}\n`);
}

/** Prints the contract's objects for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${terminalSafeJson(value)}\n`);
}

/** Prints diagnostics on stderr. */
export function printErr(text: string): void {
  process.stderr.write(`${terminalSafe(text)}\n`);
}

/** Redraws the progress line on stderr (a TTY only). */
export function printProgress(text: string): void {
  process.stderr.write(`\r${terminalSafe(text)}`);
}
