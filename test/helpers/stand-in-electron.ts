// A stand-in Electron distribution for electron-builder's `electronDist`, so the app can be packed
// offline with no Electron binary: a placeholder `electron` executable carrying Electron's fuse wire
// (so the `electronFuses` step has something to flip) and the `version` file electron-builder reads.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Electron's fuse sentinel; the wire follows it: version byte, fuse count, one '0'/'1' per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_WIRE_VERSION = 1;

/**
 * The V1 fuses in wire order (@electron/fuses FuseV1Options) with Electron's own defaults, named as
 * electron-builder.yml `electronFuses` names them.
 */
export const ELECTRON_FUSE_DEFAULTS: ReadonlyArray<readonly [name: string, isOn: boolean]> = [
  ['runAsNode', true],
  ['enableCookieEncryption', false],
  ['enableNodeOptionsEnvironmentVariable', true],
  ['enableNodeCliInspectArguments', true],
  ['enableEmbeddedAsarIntegrityValidation', false],
  ['onlyLoadAppFromAsar', false],
  ['loadBrowserProcessSpecificV8Snapshot', false],
  ['grantFileProtocolExtraPrivileges', true],
];

/** Writes the distribution into `dir` (created) for Electron `version`; returns `dir`. */
export function writeStandInElectronDist(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron: packaging tests only" >&2\nexit 1\n'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([FUSE_WIRE_VERSION, ELECTRON_FUSE_DEFAULTS.length]),
    Buffer.from(ELECTRON_FUSE_DEFAULTS.map(([, isOn]) => (isOn ? '1' : '0')).join('')),
  ]);
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 });
  writeFileSync(join(dir, 'version'), version);
  return dir;
}

/** Reads the fuse wire back from a (packed) executable: fuse name -> on. */
export function readFuseWire(executable: string): Record<string, boolean> {
  const bytes = readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  if (at < FUSE_SENTINEL.length) throw new Error(`${executable} carries no fuse wire`);
  if (bytes[at] !== FUSE_WIRE_VERSION) throw new Error(`unknown fuse wire version ${bytes[at]}`);
  const count = bytes[at + 1] ?? 0;
  return Object.fromEntries(
    ELECTRON_FUSE_DEFAULTS.slice(0, count).map(([name], i) => [
      name,
      bytes[at + 2 + i] === '1'.charCodeAt(0),
    ]),
  );
}
