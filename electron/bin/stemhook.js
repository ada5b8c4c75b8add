#!/usr/bin/env node
// Launcher for the `stemhook` CLI: runs the TypeScript sources with Node's built-in type stripping.
// npm scripts and npx put the bundled Node 24 (devDependency `node`) first on PATH.
const major = Number(process.versions.node.split('.')[0]);
if (major < 23) {
  console.error(
    `stemhook: needs Node 24 or newer (this is ${process.version}). Run it as \`npx stemhook\` from the project folder, which uses the bundled Node.`,
  );
  process.exit(1);
}
process.removeAllListeners('warning');
await import('../core/cli.ts');
