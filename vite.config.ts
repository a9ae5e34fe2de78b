import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    // Library build: ESM entries dist/index.js (the library) and dist/cli.js (the `webnmf` command,
    // package.json "bin"); dependencies stay external so users dedupe them.
    lib: { entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' }, formats: ['es'], fileName: (_format, name) => `${name}.js` },
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
