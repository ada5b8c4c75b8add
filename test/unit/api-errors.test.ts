// Every error the core throws on purpose reaches the producer as its own code and message, by
// type (StemhookError), so a new error class cannot silently become "unexpected"; anything else
// maps to one generic sentence that leaks no message, path or stack.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IngestError } from '../../electron/core/audio/errors.ts';
import { PeaksFormatError } from '../../electron/core/audio/peaks.ts';
import { ExportError } from '../../electron/core/export/errors.ts';
import {
  BadRequestError,
  NotFoundError,
  toApiError,
  UNEXPECTED_ERROR,
} from '../../electron/core/host/api-errors.ts';
import { DataDirLockedError, DataDirUnusableError } from '../../electron/core/host/data-dir-lock.ts';
import { LibraryDatabaseError } from '../../electron/core/host/open-library.ts';
import { SecretStoreUnreadableError } from '../../electron/core/host/secret-vault.ts';
import { SubmitError } from '../../electron/core/host/submit.ts';
import { createValidationError, KieError } from '../../electron/core/kie/errors.ts';
import { DownloadError } from '../../electron/core/pipeline/download-error.ts';
import { LibraryPathError } from '../../electron/core/pipeline/library-paths.ts';
import { StemhookError } from '../../electron/core/stemhook-error.ts';
import { StoreError } from '../../electron/core/store/index.ts';

const CORE_DIR = join(import.meta.dirname, '../../electron/core');

/** Error classes that never reach the contract, and why. */
const NOT_API_ERRORS: Record<string, string> = {
  'simulator/': 'the simulator is the fake KIE server: its errors become its own HTTP answers',
  'cli/': "the CLI's errors are printed by the CLI process, not sent over the contract",
  'tunnel/tunnel.ts:TunnelTimeoutError': 'caught inside tunnel.ts and turned into the tunnel state',
};

/** One instance of every error class the core throws, with the code it must map to. */
const SAMPLES: Record<string, { error: StemhookError; code: string }> = {
  StemhookError: { error: new StemhookError('some_code', 'Plain words.'), code: 'some_code' },
  KieError: { error: new KieError({ code: 'insufficient_credits' }), code: 'insufficient_credits' },
  SubmitError: { error: new SubmitError('source_missing', 'The file is gone.'), code: 'source_missing' },
  NotFoundError: { error: new NotFoundError('No task t1 in the library'), code: 'not_found' },
  BadRequestError: { error: new BadRequestError('Bad input'), code: 'bad_request' },
  DataDirLockedError: { error: new DataDirLockedError('/data', 42), code: 'data_dir_locked' },
  DataDirUnusableError: {
    error: new DataDirUnusableError('/data', 'host.lock', Object.assign(new Error('ro'), { code: 'EROFS' })),
    code: 'data_dir_unusable',
  },
  LibraryDatabaseError: {
    error: new LibraryDatabaseError('/data/stemhook.db', 'is damaged', 'Restore it.'),
    code: 'library_database_unusable',
  },
  SecretStoreUnreadableError: {
    error: new SecretStoreUnreadableError('/data/secrets.json', 'damaged'),
    code: 'secret_store_unreadable',
  },
  StoreError: { error: new StoreError('newer_database', 'Update Stemhook.'), code: 'newer_database' },
  ExportError: { error: new ExportError('exists', 'Files are in the way.', ['/a.wav']), code: 'exists' },
  IngestError: { error: new IngestError('not_audio', 'Not an MP3.'), code: 'not_audio' },
  PeaksFormatError: { error: new PeaksFormatError('peaks file is truncated'), code: 'bad_peaks' },
  DownloadError: { error: new DownloadError('gone', "KIE's link is dead."), code: 'gone' },
  LibraryPathError: { error: new LibraryPathError('invalid_id', 'Unsafe id.'), code: 'invalid_id' },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every `class X extends Y` in the core whose chain reaches Error, with where it is declared. */
function coreErrorClasses(): Array<{ name: string; base: string; where: string }> {
  const classes: Array<{ name: string; base: string; where: string }> = [];
  for (const file of sourceFiles(CORE_DIR)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bclass\s+(\w+)(?:<[^{]*?>)?\s+extends\s+(\w+)/g)) {
      classes.push({ name: match[1] ?? '', base: match[2] ?? '', where: relative(CORE_DIR, file) });
    }
  }
  const errors = new Set(['Error']);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of classes)
      if (errors.has(c.base) && !errors.has(c.name)) grew = errors.add(c.name) !== null;
  }
  return classes.filter((c) => errors.has(c.base));
}

const isExempt = (c: { name: string; where: string }): boolean =>
  Object.keys(NOT_API_ERRORS).some((key) => key === `${c.where}:${c.name}` || c.where.startsWith(key));

afterEach(() => vi.restoreAllMocks());

describe('toApiError', () => {
  it('finds the error classes it checks (the scan works)', () => {
    const names = coreErrorClasses().map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['KieError', 'ExportError', 'TunnelTimeoutError']));
  });

  it('every error class the core throws extends StemhookError', () => {
    const plain = coreErrorClasses().filter((c) => c.base === 'Error' && c.name !== 'StemhookError');
    expect(plain.filter((c) => !isExempt(c)).map((c) => `${c.where}: ${c.name}`)).toEqual([]);
  });

  it('has a sample for every StemhookError class, so each one below is proven', () => {
    const apiErrors = coreErrorClasses().filter((c) => !isExempt(c));
    expect(apiErrors.map((c) => c.name).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(Object.entries(SAMPLES))('maps %s to its own code and message', (name, { error, code }) => {
    expect(error).toBeInstanceOf(StemhookError);
    expect(error.name).toBe(name);
    expect(toApiError(error)).toEqual({ code, message: error.message });
  });

  it('keeps a validation error’s list of fields to fix', () => {
    const error = createValidationError([{ field: 'title', message: 'is required' }]);
    expect(toApiError(error)).toEqual({
      code: 'validation',
      message: expect.stringContaining('title: is required'),
    });
  });

  it.each([
    ['a plain Error', new Error("ENOENT: no such file, open '/home/producer/secret-token-abc/x'")],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'token')")],
    [
      'an error that only looks known',
      Object.assign(new Error('internal detail'), { name: 'KieError', code: 'auth' }),
    ],
    ['a thrown string', 'internal detail /home/producer'],
  ])('maps %s to the generic code without leaking it', (_label, thrown) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const body = toApiError(thrown);
    expect(body).toEqual(UNEXPECTED_ERROR);
    expect(JSON.stringify(body)).not.toMatch(/ENOENT|home|token|internal detail|properties/);
    expect(logged).toHaveBeenCalledOnce();
  });
});
