// Build shape of the desktop app (electron-vite): main + workers, preload, renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          main: resolve('electron/main.ts'),
          'decode-worker': resolve('electron/core/audio/decode-worker.ts'),
          'analysis-worker': resolve('electron/core/analysis/analysis-worker.ts'),
        },
        external: ['better-sqlite3', '@ngrok/ngrok', 'mpg123-decoder', 'ws', '@breezystack/lamejs'],
      },
    },
  },
  preload: {
    // Sandboxed preloads cannot be ES modules: one CommonJS file, out/preload/preload.cjs.
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { outDir: 'out/renderer', rollupOptions: { input: { index: resolve('renderer/index.html') } } },
  },
});
