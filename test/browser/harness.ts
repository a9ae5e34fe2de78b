// Node side of the browser tests: build the page with vite into a temp dir, serve it on 127.0.0.1,
// and launch headless Chromium with WebGPU through puppeteer. Everything here fails loudly: a
// missing browser or adapter is an error with the fix in its message, never a skip.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer';
import { build } from 'vite';
import { browserPlatform } from '../../vite.config.js';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

/**
 * Chromium flags. Verified with Chromium 156 (Debian 12) as root, no GPU:
 * - --enable-unsafe-webgpu is the one that matters: without it requestAdapter() returns null, since
 *   Chromium on Linux exposes WebGPU only on allow-listed GPUs and SwiftShader is not one of them.
 *   With it the adapter is SwiftShader (vendor 'google', architecture 'swiftshader', a fallback
 *   adapter, maxStorageBufferBindingSize 1 GiB) through Chromium's bundled libvk_swiftshader.
 * - --use-webgpu-adapter=swiftshader, --enable-features=Vulkan and --use-angle=swiftshader were tried
 *   and change nothing here (SwiftShader is the only Vulkan device), so they are left out.
 * - --no-sandbox: Chromium refuses to run as root (CI) with its sandbox.
 * - the rest keep a test browser quiet: no update, sync or background traffic, no first-run UI.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** System browsers tried, in order, after PUPPETEER_EXECUTABLE_PATH and puppeteer's own Chrome. */
const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * The browser to test in: PUPPETEER_EXECUTABLE_PATH, else puppeteer's Chrome where one was installed
 * into its cache (`npx puppeteer browsers install chrome`; .puppeteerrc.cjs keeps npm from
 * downloading it), else a system Chromium or Chrome.
 */
export function findBrowser(): string {
  const tried: string[] = [];
  let own: string | undefined;
  try {
    own = puppeteer.executablePath();
  } catch (e) {
    tried.push(`puppeteer.executablePath() threw: ${(e as Error).message}`);
  }
  for (const path of [...(own ? [own] : []), ...SYSTEM_BROWSERS]) {
    if (existsSync(path)) return path;
    tried.push(path);
  }
  throw new Error(
    'The browser tests need Chromium or Chrome and found none: install one (Debian/Ubuntu: apt-get install chromium libvulkan1), ' +
      `or run npx puppeteer browsers install chrome, or set PUPPETEER_EXECUTABLE_PATH. Tried: ${tried.join(', ')}`,
  );
}

/** `args`: other flags than CHROMIUM_ARGS (the gpujs suite launches without WebGPU). */
export function launchBrowser(executablePath: string, args: readonly string[] = CHROMIUM_ARGS): Promise<Browser> {
  return puppeteer.launch({ executablePath, headless: true, args: [...args] });
}

/** Bundle page/ (or `pageDir`; and through it src/ and the parity fixtures) into a fresh temp dir. */
export async function buildPage(pageDir: string = PAGE_DIR): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'webnmf-browser-'));
  await build({
    root: pageDir,
    // not the repository's vite.config.ts: that one builds the library, not a page
    configFile: false,
    logLevel: 'warn',
    base: './',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: true,
    },
    // src/platform.browser.ts in place of src/platform.ts, as in the library's browser build
    plugins: [browserPlatform()],
  });
  return outDir;
}

/** Wall time of each labelled step of a suite, printed at its end: where a slow run spent its time. */
export function stopwatch() {
  const timings: Record<string, number> = {};
  async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[label] = Math.round(performance.now() - t0);
    }
  }
  return { timings, timed };
}

export function removeDir(dir: string | undefined): Promise<void> {
  return dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve();
}

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serve `root` on 127.0.0.1 (only), on a free port unless `port` names one. localhost is a secure
 * context, as WebGPU needs. `headers` go on every response (e.g. COOP/COEP for cross-origin isolation).
 */
export async function serveDir(root: string, { headers = {}, port = 0 }: { headers?: Record<string, string>; port?: number } = {}): Promise<StaticServer> {
  const base = resolve(root);
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(base, path === '/' ? 'index.html' : path));
    if (!file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
