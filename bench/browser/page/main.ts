/// <reference types="vite/client" />
// The bench page. It reads bench-config.json (served beside it), probes what it runs on and exposes
// `window.webnmfBench` (page-api.ts) for the runner to drive case by case through puppeteer. Opened
// by hand (`npm run bench -- --serve`), it runs the whole grid itself and shows its report, with the
// HTML and the JSON to download.

import { caseLabel, grid } from '../cases.js';
import { makeRecord, softwareWarnings } from '../record.js';
import { reportHtml } from '../report-html.js';
import { CaseRunner } from './measure.js';
import { gemmCase } from './gemm.js';
import { probeEnvironment } from './environment.js';
import type { BenchPageApi, CaseResult, PageConfig, PageEnvironment } from '../page-api.js';
import template from '../report-template.html?raw';
import uplotJs from 'uplot/dist/uPlot.iife.min.js?raw';
import uplotCss from 'uplot/dist/uPlot.min.css?raw';

const logBox = document.getElementById('log')!;
const say = (line: string) => (logBox.textContent += `\n${line}`);

const config = (await (await fetch('./bench-config.json')).json()) as PageConfig;
const { environment, device } = await probeEnvironment(config.options.backends.includes('gpujs'));
const runner = new CaseRunner(device, environment.adapterReason, say);

const api: BenchPageApi = {
  environment,
  runCase: (c, o) => runner.run(c, o),
  gemm: (n, rounds) => {
    if (!device) throw new Error(`the GEMM case needs WebGPU: ${environment.adapterReason}`);
    return gemmCase(device, n, rounds);
  },
};
window.webnmfBench = api;
say(`ready: ${environment.adapter ? `${environment.adapter.info.vendor} ${environment.adapter.info.architecture}` : `no adapter (${environment.adapterReason})`}; crossOriginIsolated ${environment.crossOriginIsolated}, CPU backend threads ${environment.cpuThreads}`);

/** --serve: the grid, here, then the report in the page and as files to download. */
async function runHere(env: PageEnvironment): Promise<void> {
  const warnings = softwareWarnings(env, config.options.backends);
  const banner = document.getElementById('warning')!;
  banner.textContent = warnings.join('\n');
  banner.hidden = warnings.length === 0;
  const t0 = performance.now();
  const date = new Date().toISOString();
  const results: CaseResult[] = [];
  const cases = grid(config.options);
  for (const [i, c] of cases.entries()) {
    say(`[${i + 1}/${cases.length}] ${caseLabel(c)} …`);
    results.push(await api.runCase(c, config.options));
  }
  const o = config.options;
  const gemm = o.backends.includes('webgpu') && o.gemm > 0 && device ? await api.gemm(o.gemm, o.rounds) : null;
  const rec = makeRecord({
    date,
    durationS: (performance.now() - t0) / 1000,
    options: o,
    webnmf: config.webnmf,
    environment: { page: env, host: config.host },
    results,
    gemm,
    sklearn: config.sklearn,
  });
  const html = reportHtml(rec, { template, uplotJs, uplotCss });
  const stamp = date.slice(0, 19).replace(/[:T]/g, '-');
  const link = (id: string, body: string, type: string, name: string) => {
    const a = document.getElementById(id) as HTMLAnchorElement;
    a.href = URL.createObjectURL(new Blob([body], { type }));
    a.download = name;
  };
  link('download-html', html, 'text/html', `webnmf-bench-${stamp}.html`);
  link('download-json', JSON.stringify(rec, null, 2) + '\n', 'application/json', `webnmf-bench-${stamp}.json`);
  const frame = document.getElementById('report') as HTMLIFrameElement;
  frame.addEventListener('load', () => {
    const doc = frame.contentDocument!;
    // the report tells when its charts are drawn; the frame then takes its height, so the page scrolls as one
    const fit = () => (frame.style.height = `${doc.documentElement.scrollHeight}px`);
    new ResizeObserver(fit).observe(doc.body);
    fit();
  });
  frame.srcdoc = html;
  document.getElementById('done')!.hidden = false;
  say(`done in ${rec.durationS.toFixed(0)} s: the report is below; download it with the links above.`);
}

if (config.autorun) {
  runHere(environment).catch((e: Error) => {
    say(`FAILED: ${e.message}`);
    console.error(e);
  });
}
