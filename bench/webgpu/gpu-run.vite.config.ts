// Builds the WebGPU bench into one Node module for a GPU machine with no package registry
// (bench/webgpu/pack-gpu-run.sh): the library, jax-js and TF.js inlined; only Dawn (the `webgpu`
// package, a native addon) stays outside, carried beside it with its linux-x64 build.
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const version = (pkg: string) => JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version as string;
const versions = Object.fromEntries(['webgpu', '@jax-js/jax', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgpu'].map((p) => [p, version(p)]));

export default defineConfig({
  define: { __BENCH_VERSIONS__: JSON.stringify(versions) },
  build: {
    ssr: 'bench/webgpu.ts',
    outDir: 'bench/webgpu/gpu-run-out',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      external: [/^node:/, 'webgpu'],
      output: { entryFileNames: 'bench-webgpu.mjs', format: 'es', codeSplitting: false },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
