import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * webnmf/worker starts its worker with `new Worker(new URL('./webnmf-worker.js', import.meta.url))`,
 * the line the *user's* bundler turns into a worker bundle. Building the library, vite would do
 * that itself (a worker asset at an absolute path); so its two import.meta.url plugins are left out
 * and the line ships as written, next to dist/webnmf-worker.js.
 */
function keepWorkerUrls(): Plugin {
  return {
    name: 'webnmf:keep-worker-urls',
    configResolved(config) {
      const plugins = config.plugins as Plugin[];
      for (const name of ['vite:worker-import-meta-url', 'vite:asset-import-meta-url']) {
        const at = plugins.findIndex((p) => p.name === name);
        if (at >= 0) plugins.splice(at, 1);
      }
    },
  };
}

export default defineConfig({
  plugins: [keepWorkerUrls()],
  build: {
    // Library build: ESM entries dist/index.js (the library), dist/worker.js (webnmf/worker) and
    // dist/webnmf-worker.js (its worker script, which worker.js starts from './webnmf-worker.js'),
    // and dist/cli.js (the `webnmf` command, package.json "bin"); dependencies stay external so
    // users dedupe them.
    lib: {
      entry: { index: 'src/index.ts', worker: 'src/worker/index.ts', 'webnmf-worker': 'src/worker/webnmf-worker.ts', cli: 'src/cli/main.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      external: [/^node:/, 'ml-matrix', 'webgpu', 'gpu.js', 'cli-progress', /^@stdlib\//],
      output: { banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : '') },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
  },
});
