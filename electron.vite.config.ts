// Build shape of the desktop app (electron-vite): main, the decode and analysis workers, preload,
// renderer.
import { resolve } from 'node:path';
import { build, type Plugin } from 'vite';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// `npm run coverage` builds with source maps (no sourceMappingURL comment, and it moves the maps out
// of out/ before the tests run): coverage of the bundles maps back to the sources. Releases have none.
const sourcemap = process.env.STEMHOOK_COVERAGE_BUILD ? 'hidden' : false;

/**
 * Builds a worker thread's entry on its own with every dependency inlined: one file that shares no
 * chunk with main and imports nothing from node_modules, so it starts wherever main.js sits (asar
 * or not) and main's chunk names never leak into it.
 */
function selfContainedWorker(entry: string, fileName: string): Plugin {
  return {
    name: 'stemhook:self-contained-worker',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        ssr: { noExternal: true, target: 'node' },
        build: {
          ssr: entry,
          outDir: 'out/main',
          emptyOutDir: false,
          sourcemap,
          rollupOptions: { output: { format: 'es', entryFileNames: fileName, codeSplitting: false } },
        },
      });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [
      selfContainedWorker(resolve('electron/core/audio/decode-worker.ts'), 'decode-worker.js'),
      selfContainedWorker(resolve('electron/core/analysis/analysis-worker.ts'), 'analysis-worker.js'),
    ],
    // fflate is bundled (a devDependency: half a megabyte of its five builds kept out of the package).
    // Its Node build declares a top-level `require`, which collides with the bundle's own; the
    // platform-neutral build is the same code, and Stemhook only calls its synchronous zip API.
    resolve: { alias: [{ find: /^fflate$/, replacement: 'fflate/browser' }] },
    build: {
      outDir: 'out/main',
      sourcemap,
      rollupOptions: {
        input: { main: resolve('electron/main.ts') },
        external: ['better-sqlite3', '@ngrok/ngrok', 'ws'],
      },
    },
  },
  preload: {
    // Sandboxed preloads cannot be ES modules: one CommonJS file, out/preload/preload.cjs.
    build: {
      outDir: 'out/preload',
      sourcemap,
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      sourcemap,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
