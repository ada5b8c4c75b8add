// The CLI prints strings that came from callbacks (take ids, titles, errors): control characters
// and escape sequences must never reach the terminal, on any print path.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeJson } from '../../electron/core/cli/terminal-text.ts';
import { ROOT } from '../helpers/cli.ts';

const HOSTILE = '\u001b[2J\u001b[3J\u001b]0;owned\u0007take\r\u0008\u009b31m\u202eid\u0000';
// eslint-disable-next-line no-control-regex -- asserting their absence is the point
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal-safe text', () => {
  it('drops escape sequences and control characters, keeps the words, tabs and newlines', () => {
    expect(terminalSafe(HOSTILE)).toBe('takeid');
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc');
  });

  it('JSON keeps every value but no raw control character', () => {
    const value = { audioId: HOSTILE, title: 'Harbor' };
    const json = terminalSafeJson(value);
    expect(json).not.toMatch(ANY_CONTROL);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('a task whose take id carries ANSI escapes prints clean through the CLI formatter', () => {
    const script = `
      import { formatTask } from './electron/core/cli/format.ts';
      import { printOut } from './electron/core/cli/terminal-text.ts';
      const hostile = ${JSON.stringify(HOSTILE)};
      printOut(formatTask({ id: 't1', kieTaskId: hostile, kind: 'add-instrumental', state: 'failed',
        title: hostile, sourceName: hostile, parentTaskId: null, parentAudioId: null, createdAt: 0,
        updatedAt: 0, stages: [], error: { code: 'kie_501', message: hostile },
        tracks: [{ id: 'x', audioId: hostile, stem: 'take', title: hostile, state: 'error',
          localPath: null, durationSec: null, sampleRate: null, channels: null, sampleCount: null,
          isNearSilent: false, remoteUrl: null, streamUrl: null, error: hostile }] }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    expect(out.toString('utf8')).not.toMatch(ANY_CONTROL);
    expect(out.toString('utf8')).toContain('takeid');
  });

  it('every CLI print goes through terminal-text.ts', () => {
    const dir = join(ROOT, 'electron/core/cli');
    const files = [join(ROOT, 'electron/core/cli.ts'), ...readdirSync(dir).map((f) => join(dir, f))];
    for (const file of files.filter((f) => !f.endsWith('terminal-text.ts'))) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/console\.(log|error|warn|info)|process\.std(out|err)\.write\(`/);
    }
  });
});
