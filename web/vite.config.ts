import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The playground page. It imports the library as any user would, `from 'creativity-knobs'`
 * (the root entry, which runs in a browser), bundled from ../src (every slider move is
 * computed in the browser), and is written to the package's dist/web/, which
 * `knobs playground` serves. No CDN: everything is in the bundle.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [preact({ prerender: { enabled: false } })],
  resolve: { alias: [{ find: /^creativity-knobs$/, replacement: fileURLToPath(new URL('../src/index.ts', import.meta.url)) }] },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1' },
  logLevel: 'warn',
});
