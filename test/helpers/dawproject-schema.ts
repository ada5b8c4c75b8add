// The published DAWproject 1.0 schemas (Bitwig, MIT licence: test/fixtures/dawproject/LICENSE), kept
// in the repository so a clean clone validates exported session files with nothing outside it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const XMLLINT = '/usr/bin/xmllint';
export const hasXmllint = existsSync(XMLLINT);
const SCHEMAS = join(import.meta.dirname, '..', 'fixtures', 'dawproject');

/** xmllint's verdict on `xml` against `Project.xsd` or `MetaData.xsd`. */
export function validateDawXml(
  xml: string,
  schema: 'Project.xsd' | 'MetaData.xsd' = 'Project.xsd',
): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-xsd-'));
  try {
    const path = join(dir, 'document.xml');
    writeFileSync(path, xml);
    const out = spawnSync(XMLLINT, ['--noout', '--schema', join(SCHEMAS, schema), path]);
    return { status: out.status, stderr: out.stderr.toString() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
