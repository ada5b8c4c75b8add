// The receiver's verdicts in plain words, with a tone for the badge.
export const VERDICTS: Record<string, { label: string; tone: 'ok' | 'warn' | 'bad' }> = {
  valid: { label: 'Signature valid', tone: 'ok' },
  unsigned: { label: 'Unsigned (no HMAC key)', tone: 'warn' },
  invalid: { label: 'Bad signature', tone: 'bad' },
  missing_headers: { label: 'Signature headers missing', tone: 'bad' },
  stale: { label: 'Timestamp too old', tone: 'bad' },
  malformed: { label: 'Not a KIE callback', tone: 'bad' },
  unknown_task: { label: 'Unknown task', tone: 'warn' },
};

export function verdictOf(verdict: string): { label: string; tone: 'ok' | 'warn' | 'bad' } {
  return VERDICTS[verdict] ?? { label: verdict, tone: 'warn' };
}
