import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    // Library build: one ESM entry; dependencies stay external so users dedupe them.
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' },
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    rollupOptions: { external: [/^node:/, 'ml-matrix', 'webgpu'] },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
  },
});
