// Preloaded into every Node process of a coverage run (NODE_OPTIONS --import): on SIGUSR2 it writes
// the V8 coverage gathered so far (NODE_V8_COVERAGE) and leaves a marker, so a child that a test
// then ends with SIGKILL (which skips the write at exit) still counts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { takeCoverage } from 'node:v8';
import { flushMarker } from './child-flush.ts';

const marker = flushMarker(process.pid);
if (marker) {
  process.on('SIGUSR2', () => {
    takeCoverage();
    mkdirSync(marker.dir, { recursive: true });
    writeFileSync(marker.path, '');
  });
}
