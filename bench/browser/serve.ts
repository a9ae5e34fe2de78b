// How the bench page reaches a browser. It is built with vite into a temp dir, with bench-config.json
// beside it, and always served cross-origin isolated (COOP same-origin + COEP require-corp), so
// SharedArrayBuffer exists and the CPU backend runs its worker threads as an application that sets
// those headers would. A browser the runner drives gets the files through puppeteer's request
// interception, at http://localhost (a secure context, as WebGPU needs) — also a browser on another
// machine (--ws-endpoint), which then needs no route back to this one. --serve puts them on 127.0.0.1
// over HTTP for a person to open by hand.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer';
import { build } from 'vite';
import { CONTENT_TYPES, serveDir, type StaticServer } from '../../test/browser/harness.js';
import type { PageConfig } from './page-api.js';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
export const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
/** where an intercepted page lives; never reaches the network */
const ORIGIN = 'http://localhost';

export async function buildBenchPage(config: PageConfig): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'webnmf-bench-'));
  // the options of test/browser/harness.ts's buildPage, with the bench page as root
  await build({
    root: PAGE_DIR,
    configFile: false,
    logLevel: 'warn',
    base: './',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false, sourcemap: false, rolldownOptions: { external: ['webgpu'] } },
  });
  await writeFile(join(outDir, 'bench-config.json'), JSON.stringify(config));
  return outDir;
}

/** Answer every request of `page` from `dir`; returns the URL to open. */
export async function servePageThrough(page: Page, dir: string): Promise<string> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = new URL(request.url());
    if (url.origin !== ORIGIN) {
      void request.abort('accessdenied'); // the page loads nothing else: a stray request fails the run (PageWatch)
      return;
    }
    const file = normalize(join(dir, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir + sep)) {
      void request.respond({ status: 403, body: '' });
      return;
    }
    readFile(file).then(
      (body) => request.respond({ status: 200, headers: { ...ISOLATION_HEADERS, 'cache-control': 'no-store' }, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body }),
      () => request.respond({ status: 404, body: '' }),
    );
  });
  return `${ORIGIN}/`;
}

export function servePageOverHttp(dir: string, port: number): Promise<StaticServer> {
  return serveDir(dir, { headers: ISOLATION_HEADERS, port });
}
