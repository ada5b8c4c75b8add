// File names from hostile titles: safe on Windows, macOS and Linux, bounded, readable.
import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  isReservedWindowsName,
  sanitizeComponent,
  titleFileName,
  truncateUtf8,
  uniqueLabels,
  utf8Length,
  withNumberSuffix,
} from '../../shared/naming.ts';

/** What every OS accepts as one path component. */
function expectSafe(name: string): void {
  expect(name.length).toBeGreaterThan(0);
  expect(utf8Length(name)).toBeLessThanOrEqual(255);
  expect(name).not.toMatch(/[<>:"/\\|?*]/);
  expect(name).not.toMatch(/\p{Cc}/u);
  expect(name).not.toMatch(/^[.\s]/);
  expect(name).not.toMatch(/[.\s]$/);
  expect(name).not.toBe('.');
  expect(name).not.toBe('..');
  expect(isReservedWindowsName(name)).toBe(false);
  expect(name).toBe(name.normalize('NFC'));
  // No lone surrogate halves (a cut emoji).
  expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
}

describe('export file names', () => {
  const hostile = [
    '../../x',
    '..',
    '.',
    'CON',
    'con.txt',
    'LPT1',
    'COM¹',
    'aux . ',
    'x'.repeat(300),
    '🎸'.repeat(200),
    '',
    '   ',
    'a/b\\c:d*e?f"g<h>i|j',
    '\u202Egnp.exe',
    'tab\there\nnew',
    '.hidden',
    'trailing...',
    'e\u0301te\u0301',
  ];

  it.each(hostile)('makes a safe stem file name from %j', (title) => {
    const name = exportFileName(title, 'Vocals', 'wav');
    expectSafe(name);
    expect(name.endsWith('_Vocals.wav')).toBe(true);
    expectSafe(titleFileName(title, 'dawproject'));
    expectSafe(titleFileName(title, ''));
  });

  it('keeps readable titles readable', () => {
    expect(exportFileName('Harbor Lights', 'Backing Vocals', 'wav')).toBe('Harbor Lights_Backing Vocals.wav');
    expect(exportFileName('AC/DC: Live?', 'Drums', 'wav')).toBe('AC-DC- Live_Drums.wav');
    expect(exportFileName('Café 🔥', 'Bass', 'wav')).toBe('Café 🔥_Bass.wav');
  });

  it('neutralises traversal, reserved names and empties', () => {
    expect(sanitizeComponent('../../x')).toBe('x');
    expect(sanitizeComponent('..')).toBe('Untitled');
    expect(sanitizeComponent('')).toBe('Untitled');
    expect(sanitizeComponent('CON')).toBe('_CON');
    expect(sanitizeComponent('con.txt')).toBe('_con.txt');
    expect(titleFileName('CON', 'rpp')).toBe('_CON.rpp');
    expect(exportFileName(null, 'Take', 'wav')).toBe('Untitled_Take.wav');
  });

  it('drops bidi overrides that could disguise an extension', () => {
    expect(sanitizeComponent('\u202Egnp.exe')).toBe('gnp.exe');
  });

  it('caps the title at 100 UTF-8 bytes on a grapheme boundary', () => {
    expect(utf8Length(sanitizeComponent('x'.repeat(300)))).toBe(100);
    const emoji = sanitizeComponent('👩‍👩‍👧'.repeat(20));
    expect(utf8Length(emoji)).toBeLessThanOrEqual(100);
    expect(
      [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(emoji)].every(
        (g) => g.segment === '👩‍👩‍👧',
      ),
    ).toBe(true);
    expect(truncateUtf8('e\u0301e\u0301', 3)).toBe('e\u0301');
  });

  it('normalises to NFC so macOS and Linux agree on the bytes', () => {
    expect(sanitizeComponent('e\u0301te\u0301')).toBe('été');
  });

  it('numbers a set instead of overwriting', () => {
    expect(withNumberSuffix('Song_Vocals.wav', 1)).toBe('Song_Vocals.wav');
    expect(withNumberSuffix('Song_Vocals.wav', 2)).toBe('Song_Vocals (2).wav');
    expect(withNumberSuffix('provenance.json', 3)).toBe('provenance (3).json');
    expect(withNumberSuffix('Folder', 2)).toBe('Folder (2)');
  });

  it('numbers repeated labels only', () => {
    expect(uniqueLabels(['Take', 'Take', 'Vocals'])).toEqual(['Take 1', 'Take 2', 'Vocals']);
    expect(uniqueLabels(['Drums'])).toEqual(['Drums']);
  });
});
