// Reads a Vitest run's output for test processes that died under a signal (a native or engine crash:
// V8's fatal checks end a process with SIGTRAP) rather than failing a test. See test/run-vitest.ts.

export interface CrashedFile {
  file: string;
  signal: string;
}

export interface RunVerdict {
  /** Files whose test process died under a signal: their tests never reported. */
  crashed: CrashedFile[];
  /** A test failed, or an error other than those crashes was reported: a rerun cannot excuse it. */
  hasOtherFailures: boolean;
  /** What the dying process printed about itself (V8's "# Fatal error" block, Node's FATAL ERROR). */
  fatalLines: string[];
}

// Colour codes, so the patterns below read the text a person sees.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const CRASH = /Worker exited unexpectedly with signal (\w+) .*?while running test file (\S+)/g;
const FATAL = /^(#\s*(Fatal error|Check failed|Debug check failed).*|FATAL ERROR.*|.*Assertion failed.*)$/;

export function readRun(output: string): RunVerdict {
  const text = output.replace(ANSI, '');
  const crashed = new Map<string, CrashedFile>();
  for (const [, signal = '', file = ''] of text.matchAll(CRASH)) crashed.set(file, { file, signal });
  const hasFailedTests = /^\s*(Test Files|Tests)\s+.*\b\d+ failed\b/m.test(text);
  const errorCount = Number(/^\s*Errors\s+(\d+) errors?\b/m.exec(text)?.[1] ?? 0);
  const fatalLines = text.split('\n').filter((line) => FATAL.test(line.trim()));
  return {
    crashed: [...crashed.values()],
    hasOtherFailures: hasFailedTests || errorCount !== crashed.size,
    fatalLines,
  };
}
