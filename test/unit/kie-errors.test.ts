// KIE error classification across both code families, and the user-facing messages derived from it.
import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, classifyKieCode, isRetryable, userMessageFor } from '../../shared/kie/errors.ts';
import type { KieErrorCode } from '../../shared/kie/errors.ts';

const CREDITS = 'The current credits are insufficient. Please top up.';

describe('classifyKieCode', () => {
  it.each<[number, string, KieErrorCode]>([
    [401, 'You do not have access permissions', 'auth'],
    [402, CREDITS, 'insufficient_credits'],
    [402, '', 'insufficient_credits'],
    [429, CREDITS, 'insufficient_credits'],
    [429, 'Too many requests', 'rate_limited'],
    [405, 'Rate limit exceeded', 'rate_limited'],
    [430, 'Call frequency too high', 'rate_limited'],
    [400, 'format error', 'validation'],
    [413, 'Theme or prompt too long', 'validation'],
    [422, 'callBackUrl is required', 'validation'],
    [422, 'recordInfo is null', 'not_found'],
    [404, 'Not found', 'not_found'],
    [408, 'Timeout', 'timeout'],
    [409, 'WAV record already exists', 'conflict'],
    [433, 'Sub-key usage exceeds limit', 'sub_key_limit'],
    [451, 'Failed to fetch the image', 'file_unreachable'],
    [455, 'Service unavailable', 'maintenance'],
    [500, 'Server error', 'server'],
    [502, '', 'server'],
    [501, 'Audio generation failed', 'generation_failed'],
    [531, 'failed, credits refunded', 'generation_failed'],
    [505, 'Feature disabled', 'feature_disabled'],
    [418, 'teapot', 'unknown'],
  ])('%i "%s" → %s', (code, msg, expected) => {
    expect(classifyKieCode(code, msg)).toBe(expected);
  });

  it('uses the family hint when the 429 text is not conclusive', () => {
    expect(classifyKieCode(429, 'error', { family: 'sunoapi' })).toBe('insufficient_credits');
    expect(classifyKieCode(429, 'call frequency too high', { family: 'sunoapi' })).toBe('rate_limited');
    expect(classifyKieCode(429, 'error', { family: 'kie' })).toBe('rate_limited');
  });

  it('reads the credits text whatever the code', () => {
    expect(classifyKieCode(400, CREDITS)).toBe('insufficient_credits');
    expect(classifyKieCode(401, CREDITS)).toBe('auth');
  });

  it('treats 405 on the upload host as a wrong route, not a rate limit', () => {
    expect(classifyKieCode(405, 'Method not allowed', { family: 'upload' })).toBe('not_found');
  });
});

describe('classifyHttpStatus', () => {
  it.each<[number, KieErrorCode]>([
    [200, 'bad_response'],
    [401, 'auth'],
    [404, 'not_found'],
    [408, 'timeout'],
    [429, 'rate_limited'],
    [502, 'server'],
    [504, 'server'],
    [418, 'unknown'],
  ])('%i → %s', (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });
});

describe('isRetryable', () => {
  it('is true only for failures that can clear up by themselves', () => {
    const retryable = ['rate_limited', 'maintenance', 'server', 'timeout', 'network'];
    const all: KieErrorCode[] = [
      'auth',
      'insufficient_credits',
      'rate_limited',
      'validation',
      'file_unreachable',
      'maintenance',
      'server',
      'not_found',
      'conflict',
      'timeout',
      'network',
      'bad_response',
      'feature_disabled',
      'generation_failed',
      'sub_key_limit',
      'unknown',
    ];
    expect(all.filter(isRetryable)).toEqual(retryable);
  });
});

describe('userMessageFor', () => {
  it('tells the user what to do about credits and keys', () => {
    expect(userMessageFor('insufficient_credits', CREDITS)).toBe(
      'Your KIE balance is too low for this operation. Top up at kie.ai, then retry.',
    );
    expect(userMessageFor('auth', 'You do not have access permissions')).toMatch(/API key/);
  });

  it("quotes KIE's words where they carry the detail", () => {
    expect(userMessageFor('validation', 'title is required')).toContain('KIE said: "title is required"');
    expect(userMessageFor('server', 'NullPointerException at line 3')).not.toContain('NullPointer');
    expect(userMessageFor('unknown', 'x'.repeat(1000)).length).toBeLessThan(400);
  });

  it('points at the host settings for a bare "No message available" 404', () => {
    expect(userMessageFor('not_found', 'No message available')).toMatch(/host settings/);
    expect(userMessageFor('not_found', 'recordInfo is null')).toMatch(/does not know this task/);
  });
});
