// Preloaded into every Node process of a coverage run (NODE_OPTIONS --import; plain JavaScript so
// any Node a test starts can load it): on SIGUSR2 it writes the V8 coverage gathered so far
// (NODE_V8_COVERAGE) and leaves a marker, so a child that a test then ends with SIGKILL (which
// skips the write at exit) still counts. The marker path is child-flush.ts's flushMarker.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeCoverage } from 'node:v8';

const dir = process.env.NODE_V8_COVERAGE;
if (dir) {
  process.on('SIGUSR2', () => {
    takeCoverage();
    writeFileSync(join(dir, `flushed-${process.pid}`), '');
  });
}
