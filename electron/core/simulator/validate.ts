// Request-body validation with KIE's 422 answers; every message names the offending field.
import type { Envelope } from './guards.ts';

export type FieldRule =
  | { field: string; kind: 'string'; required?: boolean; allowEmpty?: boolean; max?: number }
  | { field: string; kind: 'url'; required?: boolean }
  | { field: string; kind: 'unit'; required?: boolean }
  | { field: string; kind: 'enum'; required?: boolean; values: readonly string[] };

export function fieldError(field: string, problem: string): Envelope {
  return { code: 422, msg: `${field} ${problem}`, data: null };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkRule(rule: FieldRule, value: unknown): string | null {
  if (rule.kind === 'unit') {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
      ? null
      : 'must be a number between 0 and 1';
  }
  if (typeof value !== 'string') return 'must be a string';
  if (rule.kind === 'enum')
    return rule.values.includes(value) ? null : `must be one of ${rule.values.join(', ')}`;
  if (rule.kind === 'url') return isHttpUrl(value) ? null : 'must be a valid http(s) URL';
  if (!rule.allowEmpty && value.trim() === '') return 'cannot be empty';
  if (rule.max !== undefined && value.length > rule.max) return `must be at most ${rule.max} characters`;
  return null;
}

/** First failing rule as a code-422 envelope, or null when the body passes. `null` counts as absent. */
export function validateBody(body: Record<string, unknown>, rules: FieldRule[]): Envelope | null {
  for (const rule of rules) {
    const value = body[rule.field];
    if (value === undefined || value === null) {
      if (rule.required) return fieldError(rule.field, 'is required');
      continue;
    }
    const problem = checkRule(rule, value);
    if (problem) return fieldError(rule.field, problem);
  }
  return null;
}
