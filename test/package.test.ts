// The published package, as a new user gets it: `npm pack` (its prepare script builds dist/), the
// tarball installed offline from npm's cache into an empty project without optional dependencies,
// then used from Node (ESM and require), from TypeScript with lib ES2022 alone, and from browser
// bundles made by esbuild and vite, run in headless Chromium on a page and in a Web Worker.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findBrowser, launchBrowser, serveDir } from './browser/harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const rootModules = join(root, 'node_modules');

/** What `npm install webnmf` may bring without optional dependencies (issue 14). */
const MAX_PACKAGES = 10;
const MAX_INSTALL_BYTES = 5 * 1024 * 1024;

let tmp: string;
let app: string;
let tarball: string;
let tarballFiles: string[];

const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', stdio: 'pipe' });
const node = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'webnmf-package-'));
  app = join(tmp, 'app');
  mkdirSync(app);
  // prepare runs the build, as for a git install or `npm publish`
  npm(['pack', '--pack-destination', tmp], root);
  tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
  tarballFiles = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  npm(['install', '--offline', '--omit=optional', tarball], app);
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Installed packages (node_modules/<name>, node_modules/@scope/<name>, nested ones too) and their bytes. */
function installed(dir: string): { packages: string[]; bytes: number } {
  const packages: string[] = [];
  let bytes = 0;
  const walk = (path: string, inModules: boolean) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        const isPackage = inModules && !entry.name.startsWith('@') && !entry.name.startsWith('.');
        if (isPackage) packages.push(full.slice(dir.length + 1));
        walk(full, entry.name === 'node_modules' || (inModules && entry.name.startsWith('@')));
      } else bytes += statSync(full).size;
    }
  };
  walk(dir, true);
  return { packages, bytes };
}

describe('the packed tarball', () => {
  it('holds both builds, one declaration file, the LICENSE and README; no shaders, source maps or sources', () => {
    expect(tarballFiles).toEqual(expect.arrayContaining(['package.json', 'LICENSE', 'README.md', 'dist/index.d.ts', 'dist/browser/index.js', 'dist/node/index.js', 'dist/node/cli.js']));
    // webnmf/worker: its module, the worker script beside it, one declaration file
    expect(tarballFiles).toEqual(expect.arrayContaining(['dist/worker.d.ts', 'dist/browser/worker/index.js', 'dist/browser/worker/webnmf-worker.js', 'dist/node/worker/index.js', 'dist/node/worker/webnmf-worker.js']));
    const unexpected = tarballFiles.filter((f) => !/^(package\.json|LICENSE|README\.md|dist\/(index|worker)\.d\.ts|dist\/(browser|node)\/([\w-]+\/)*[\w.-]+\.js)$/.test(f));
    expect(unexpected).toEqual([]);
  });

  it(`installs as at most ${MAX_PACKAGES} packages and ${MAX_INSTALL_BYTES / 2 ** 20} MB without optional dependencies`, () => {
    const { packages, bytes } = installed(join(app, 'node_modules'));
    console.log(`npm install <tarball> --omit=optional: ${packages.length} packages (${packages.join(', ')}), ${(bytes / 2 ** 20).toFixed(2)} MB`);
    expect(packages).toContain('webnmf');
    expect(packages.length).toBeLessThanOrEqual(MAX_PACKAGES);
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALL_BYTES);
  });
});

describe('the installed package in Node', () => {
  it("import('webnmf') runs a fit with scikit-learn's result, and names stay readable", () => {
    const script = `
      import { NMF, nonNegativeFactorization, InvalidParameterError } from 'webnmf';
      const { W, H, nIter } = await nonNegativeFactorization(
        [[1, 1], [2, 1], [3, 1.2], [4, 1], [5, 0.8], [6, 1]],
        { nComponents: 2, init: 'random', randomState: 0, backend: 'cpu' });
      console.log(JSON.stringify({ W: Array.from(W.data), H: Array.from(H.data), nIter, names: [NMF.name, nonNegativeFactorization.name, new InvalidParameterError('x', 'y').name] }));`;
    const run = node(['--input-type=module', '-e', script], app);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    // scikit-learn's documented result for this example (non_negative_factorization docstring), 5 decimals
    const skW = [0, 0.46881, 0.557, 0.38941, 1.00332, 0.41925, 1.6734, 0.22927, 2.34349, 0.03928, 2.78982, 0.06912];
    out.W.forEach((v: number, i: number) => expect(v).toBeCloseTo(skW[i], 5));
    expect(out.H.map((v: number) => +v.toFixed(5))).toEqual([2.09783, 0.3056, 2.13443, 2.13172]);
    expect(out.nIter).toBe(30);
    expect(out.names).toEqual(['NMF', 'nonNegativeFactorization', 'InvalidParameterError']);
  });

  it("require('webnmf') gives the same exports (Node ≥ 20.19 loads the ES module), silently", () => {
    const script = `
      const webnmf = require('webnmf');
      webnmf.nonNegativeFactorization([[1, 2], [3, 4]], { nComponents: 1, backend: 'cpu' })
        .then((r) => console.log(JSON.stringify({ exports: Object.keys(webnmf).sort(), rows: r.W.rows })));`;
    const run = node(['-e', script], app);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out.exports).toEqual(['InvalidParameterError', 'MODEL_FORMAT_VERSION', 'MiniBatchNMF', 'NMF', 'NMFError', 'TfidfVectorizer', 'nonNegativeFactorization', 'rowBlocks', 'toArray', 'topWords', 'useGpujs']);
    expect(out.rows).toBe(2);
  });

  it('the optional packages, when absent, are named in the error with the command that installs them', () => {
    const script = `
      import { nonNegativeFactorization } from 'webnmf';
      for (const backend of ['gpujs', 'webgpu']) {
        try { await nonNegativeFactorization([[1, 2], [3, 4]], { nComponents: 1, backend }); } catch (e) { console.log(e.message); }
      }`;
    const run = node(['--input-type=module', '-e', script], app);
    const [gpujs, webgpu] = run.stdout.trim().split('\n');
    expect(gpujs).toMatch(/gpu\.js is an optional peer dependency: npm install gpu\.js/);
    expect(webgpu).toMatch(/the 'webgpu' package \(Dawn, an optional dependency\) could not be loaded/);
    const topics = node([join(app, 'node_modules/.bin/webnmf'), 'topics'], app);
    expect(topics.stderr).toMatch(/needs the @stdlib\/datasets-sotu package \(npm install @stdlib\/datasets-sotu\)/);
  });

  it("import('webnmf/worker'): a fit in a worker_threads Worker gives the main thread's, and a saved model loads there", () => {
    const script = `
      import { NMF } from 'webnmf';
      import { WorkerNMF } from 'webnmf/worker';
      const X = [[1, 1], [2, 1], [3, 1.2], [4, 1], [5, 0.8], [6, 1]];
      const options = { nComponents: 2, init: 'random', randomState: 0, backend: 'cpu' };
      const here = new NMF(options);
      const there = new WorkerNMF(options);
      const [W1, W2] = [await here.fitTransform(X), await there.fitTransform(X)];
      const loaded = WorkerNMF.fromJSON(JSON.parse(JSON.stringify(here)));
      const T = await loaded.transform(X);
      there.dispose();
      loaded.dispose();
      console.log(JSON.stringify({ same: Array.from(W1.data).join() === Array.from(W2.data).join(), loaded: Array.from(T.data).join() === Array.from((await here.transform(X)).data).join(), backend: there.backendUsed }));`;
    const run = node(['--input-type=module', '-e', script], app);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ same: true, loaded: true, backend: 'cpu (float64)' });
  });

  it('webnmf --version prints the version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(execFileSync(join(app, 'node_modules/.bin/webnmf'), [flag], { encoding: 'utf8' })).toBe(`${version}\n`);
  });

  it("backend 'auto' prints nothing where there is no GPU, with Dawn installed (this repository's node_modules)", () => {
    const env = { ...process.env };
    delete env.VK_ICD_FILENAMES; // as a user's shell has it: Dawn would meet the system's software Vulkan drivers
    const script = `
      import { NMF } from 'webnmf';
      const model = new NMF({ nComponents: 1, init: 'random', randomState: 0, maxIter: 5, onWarning: () => {} });
      await model.fit([[1, 2], [3, 4], [5, 6.5]]);`;
    const run = node(['--input-type=module', '-e', script], root, env);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
  });
});

describe('the declarations', () => {
  it('compile with lib ES2022 alone (no DOM, no @types/node), ESM and CommonJS, and refuse what the run time refuses', () => {
    writeFileSync(
      join(app, 'use.mts'),
      `import { MiniBatchNMF, NMF, nonNegativeFactorization, rowBlocks, useGpujs, type DataMatrix, type FitStart, type GpujsModule,
  type MiniBatchStart, type NMFOptions, type ProgressInfo, type RowSource, type SavedNMF, type Sparseness } from 'webnmf';
import { WorkerMiniBatchNMF, WorkerNMF } from 'webnmf/worker';
const options: NMFOptions = { nComponents: 2, device: null, signal: null, onProgress: (p: ProgressInfo) => void p.iteration };
const start: FitStart = { W: null, H: null, mask: null };
const mbStart: MiniBatchStart = { W: null };
const sparseness: Sparseness = 'data';
await new NMF(options).fit([[1, 2]], start);
await new MiniBatchNMF({ nComponents: 1 }).fit([[1, 2]], { W: null, H: null });
await nonNegativeFactorization([[1]], { sparseness, solver: 'pg' });
const source: RowSource = [[[1, 2]]];
const blocks: AsyncIterable<DataMatrix> | null = null;
declare const gpujs: GpujsModule;
useGpujs(gpujs);
// @ts-expect-error a number is no GPUDevice
new NMF({ device: 42 });
// @ts-expect-error options are checked by name
new NMF({ nComponent: 2 });
// @ts-expect-error rowBlocks reads a Blob
rowBlocks('data.csv');
const worker = new WorkerNMF({ nComponents: 2, signal: null });
const W = await worker.fitTransform([[1, 2]], { transfer: true });
const saved: SavedNMF = worker.toJSON();
WorkerNMF.fromJSON(saved, { backend: 'cpu' })[Symbol.dispose]();
new WorkerMiniBatchNMF({ batchSize: 2 }).dispose();
// @ts-expect-error a GPUDevice belongs to its thread: the worker acquires its own
new WorkerNMF({ device: null });
void W.rows;
export { mbStart, source, blocks };
`,
    );
    writeFileSync(join(app, 'use.cts'), `import webnmf = require('webnmf');\nexport const model: webnmf.NMF = new webnmf.NMF({ nComponents: 1 });\n`);
    const compilerOptions = { noEmit: true, strict: true, target: 'ES2022', lib: ['ES2022'], types: [], module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['use.mts', 'use.cts'] }));
    const run = node([join(rootModules, 'typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('browser bundles of the installed package', () => {
  it('one helper bundles alone (sideEffects: false, one module per file): toArray minified is under 1 KB', async () => {
    const esbuild = await import('esbuild');
    const bundled = await esbuild.build({
      stdin: { contents: "import { toArray } from 'webnmf'; console.log(toArray({ rows: 1, cols: 1, data: [1] }));", resolveDir: app },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    expect(bundled.warnings).toEqual([]);
    expect(bundled.outputFiles[0].contents.length).toBeLessThan(1024);
  });

  it('esbuild and vite build them with no warning; both run in headless Chromium, on the page and in a Web Worker', async () => {
    // the app's own gpu.js: linked from this repository's node_modules (the package npm would install)
    symlinkSync(join(rootModules, 'gpu.js'), join(app, 'node_modules/gpu.js'), 'dir');
    writeBrowserApp(app);
    const esbuild = await import('esbuild');
    const bundled = await esbuild.build({
      // webnmf/worker's script is one more entry point, named as the URL that starts it says (README)
      entryPoints: [join(app, 'src/main.js'), join(app, 'src/worker.js'), { in: 'webnmf/webnmf-worker.js', out: 'webnmf-worker' }],
      absWorkingDir: app,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      outdir: join(app, 'out-esbuild'),
      metafile: true,
      logLevel: 'silent',
    });
    expect(bundled.errors).toEqual([]);
    expect(bundled.warnings).toEqual([]);
    const inputs = Object.keys(bundled.metafile.inputs).filter((f) => f.includes('node_modules/webnmf/'));
    expect(inputs.every((f) => f.includes('node_modules/webnmf/dist/browser/')), inputs.join(', ')).toBe(true);
    writeFileSync(join(app, 'out-esbuild/index.html'), PAGE.replace('./src/main.js', './main.js'));

    const { build } = await import('vite');
    const warnings: string[] = [];
    const logger = {
      info() {},
      warn: (m: string) => void warnings.push(m),
      warnOnce: (m: string) => void warnings.push(m),
      error: (m: string) => void warnings.push(m),
      clearScreen() {},
      hasErrorLogged: () => false,
      hasWarned: false,
    };
    await build({
      root: app,
      configFile: false,
      customLogger: logger,
      logLevel: 'warn',
      base: './',
      worker: { format: 'es' },
      build: {
        outDir: join(app, 'out-vite'),
        emptyOutDir: true,
        target: 'es2022',
        // gpu.js, the app's own choice here, is 640 kB minified: over vite's default 500 kB note
        chunkSizeWarningLimit: 1000,
        // rolldown's note on how long its plugins took (a loaded machine's), not on the code it bundles
        rolldownOptions: { checks: { pluginTimings: false } },
      },
    });
    expect(warnings).toEqual([]);

    // --enable-unsafe-swiftshader: software WebGL2 without Chromium's deprecation note (as test/browser/browser.test.ts)
    const browser = await launchBrowser(findBrowser(), [...CHROMIUM_ARGS, '--enable-unsafe-swiftshader']);
    const servers = await Promise.all([serveDir(join(app, 'out-esbuild')), serveDir(join(app, 'out-vite'))]);
    try {
      for (const [bundler, server] of [['esbuild', servers[0]], ['vite', servers[1]]] as const) {
        const report = await runPage(browser, server.url, false);
        expect(report.problems, bundler).toEqual([]);
        for (const place of ['page', 'worker'] as const) {
          const got = report[place];
          expect(got.cpu, `${bundler} ${place}`).toBe('cpu (float64)');
          // 'auto' passes over software adapters and renderers (SwiftShader here): the CPU
          expect(got.auto, `${bundler} ${place}`).toBe('cpu (float64)');
          expect(got.webgpu, `${bundler} ${place}`).toMatch(/^webgpu: .*swiftshader/i);
          expect(got.gpujs, `${bundler} ${place}`).toMatch(/^gpujs \(webgl2/);
        }
        // webnmf/worker: WorkerNMF on the page equals NMF on the page, on the CPU and on WebGPU
        // (gpu.js, handed over on the page, cannot reach the worker: 'gpujs' says so there)
        expect(report.workerNMF, bundler).toEqual({
          cpu: 'cpu (float64)',
          webgpu: expect.stringMatching(/^webgpu: .*swiftshader/i),
          gpujs: expect.stringMatching(/^NMFError: backend: 'gpujs' was asked for, but gpu\.js was not given/),
        });
        // webnmf's own names, where the app does not minify (vite's production build does)
        if (bundler === 'esbuild') expect(report.names).toEqual(['NMF', 'nonNegativeFactorization']);
      }
      // a browser without WebGPU: backend 'webgpu' says so in a browser's terms
      const bare = await runPage(browser, servers[0].url, true);
      expect(bare.page.auto).toBe('cpu (float64)');
      expect(bare.page.webgpu).toMatch(/^NMFError: backend: 'webgpu' was asked for, but WebGPU is not available: this browser offers no navigator\.gpu/);
      expect(bare.page.webgpu).not.toMatch(/VK_ICD|Node|createRequire/);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await browser.close();
    }
  }, 180_000);
});

type Outcomes = Record<'cpu' | 'auto' | 'webgpu' | 'gpujs', string>;
interface PageReport {
  page: Outcomes;
  worker: Outcomes;
  /** WorkerNMF's backendUsed per backend asked for (or why it failed or differed from NMF's fit) */
  workerNMF: Record<'cpu' | 'webgpu' | 'gpujs', string>;
  names: string[];
  problems: string[];
}

async function runPage(browser: Awaited<ReturnType<typeof launchBrowser>>, url: string, withoutWebGPU: boolean): Promise<PageReport> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  page.on('console', (m) => {
    // ANGLE's performance notes on software GL ("GPU stall due to ReadPixels") are not the library's
    if ((m.type() === 'error' || m.type() === 'warn') && !/GL Driver Message/.test(m.text())) problems.push(`console.${m.type()}: ${m.text()}`);
  });
  if (withoutWebGPU) await page.evaluateOnNewDocument(() => void delete (Navigator.prototype as { gpu?: unknown }).gpu);
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as { report?: unknown }).report !== undefined, { timeout: 120_000 });
    const report = await page.evaluate(() => (window as unknown as { report: Omit<PageReport, 'problems'> }).report);
    return { ...report, problems };
  } finally {
    await page.close();
  }
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>app</title><link rel="icon" href="data:,"></head>
<body><script type="module" src="./src/main.js"></script></body></html>`;

/** A small app: every backend on the page and in a module worker; each outcome is backendUsed or the error. */
function writeBrowserApp(dir: string): void {
  const fits = `import * as gpujs from 'gpu.js';
import { NMF, nonNegativeFactorization, useGpujs } from 'webnmf';

useGpujs(gpujs);

export async function fits() {
  const out = {};
  for (const backend of ['cpu', 'auto', 'webgpu', 'gpujs']) {
    try {
      const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, maxIter: 20, backend, onWarning: () => {} });
      await model.fit([[1, 2, 3], [4, 5, 6], [7, 8, 9.5], [1, 0, 2]]);
      out[backend] = model.backendUsed;
    } catch (e) {
      out[backend] = e.name + ': ' + e.message;
    }
  }
  return out;
}

export const names = [NMF.name, nonNegativeFactorization.name];
`;
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), PAGE);
  writeFileSync(join(dir, 'src/fits.js'), fits);
  writeFileSync(join(dir, 'src/worker.js'), `import { fits } from './fits.js';\npostMessage(await fits());\n`);
  writeFileSync(
    join(dir, 'src/worker-nmf.js'),
    `import { NMF } from 'webnmf';
import { WorkerNMF } from 'webnmf/worker';

export async function workerFits() {
  const out = {};
  for (const backend of ['cpu', 'webgpu', 'gpujs']) {
    const options = { nComponents: 2, init: 'random', randomState: 0, maxIter: 20, backend, onWarning: () => {} };
    const model = new WorkerNMF(options);
    try {
      const X = [[1, 2, 3], [4, 5, 6], [7, 8, 9.5], [1, 0, 2]];
      const [W, here] = [await model.fitTransform(X), await new NMF(options).fitTransform(X)];
      out[backend] = Array.from(W.data).join() === Array.from(here.data).join() ? model.backendUsed : 'W differs from the page fit';
    } catch (e) {
      out[backend] = e.name + ': ' + e.message;
    } finally {
      model.dispose();
    }
  }
  return out;
}
`,
  );
  writeFileSync(
    join(dir, 'src/main.js'),
    `import { fits, names } from './fits.js';
import { workerFits } from './worker-nmf.js';
const page = await fits();
const worker = await new Promise((resolve, reject) => {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = (e) => resolve(e.data);
  w.onerror = (e) => reject(new Error('worker: ' + e.message));
});
window.report = { page, worker, workerNMF: await workerFits(), names };
`,
  );
}
