// The bench page: fits through the public API on the backend a request names, and exposes
// `window.webnmfBench` (page-api.ts) for the runner to drive through puppeteer. One GPUDevice is made
// here and handed to every WebGPU fit, so pipelines compile once per run, as in an application that
// fits more than once; the device is never lost between fits.

import { nonNegativeFactorization } from '../../../src/index.js';
import type { BenchAdapter, BenchLoss, BenchPageApi, FitRequest, FitResponse, ProgressPoint } from '../page-api.js';

const log = document.getElementById('log')!;
const say = (line: string) => (log.textContent += `\n${line}`);

/** Entries of X at or below float32 eps are left out of the KL log term, as scikit-learn does. */
const EPSILON = 1.1920929e-7;
/** Relative amplitude of the uniform noise added to the rank-k product, so no fit reaches zero loss. */
const NOISE = 0.1;

/** mulberry32: a small seeded generator; X only needs to be the same in every run and backend. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** X = A·B + noise, A (m × k) and B (k × n) uniform on [0, 1): non-negative, rank k plus noise. */
function makeX(m: number, n: number, k: number): Dense {
  const next = rng(m * 7919 + n * 104729 + k);
  const A = Float64Array.from({ length: m * k }, next);
  const B = Float64Array.from({ length: k * n }, next);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const a = A[i * k + t];
      for (let j = 0; j < n; j++) data[i * n + j] += a * B[t * n + j];
    }
    for (let j = 0; j < n; j++) data[i * n + j] += NOISE * k * 0.25 * next();
  }
  return { rows: m, cols: n, data };
}

const xs = new Map<string, Dense>();
function getX(m: number, n: number, k: number): Dense {
  const key = `${m}x${n}x${k}`;
  let X = xs.get(key);
  if (!X) xs.set(key, (X = makeX(m, n, k)));
  return X;
}

/** sqrt(2·β-divergence(X, WH)) in float64: the value 'mu' reports, for both solvers' final factors. */
function finalLoss(X: Dense, W: ArrayLike<number>, H: ArrayLike<number>, k: number, loss: BenchLoss): number {
  const { rows: m, cols: n, data: x } = X;
  const wh = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    wh.fill(0);
    for (let t = 0; t < k; t++) {
      const w = W[i * k + t];
      if (w !== 0) for (let j = 0; j < n; j++) wh[j] += w * H[t * n + j];
    }
    for (let j = 0; j < n; j++) {
      const xv = x[i * n + j];
      if (loss === 'frobenius') sum += 0.5 * (xv - wh[j]) ** 2;
      else sum += (xv > EPSILON ? xv * Math.log(xv / wh[j]) : 0) - xv + wh[j];
    }
  }
  return Math.sqrt(2 * Math.max(sum, 0));
}

async function probeAdapter(): Promise<{ adapter: BenchAdapter | null; device: GPUDevice | null; reason?: string }> {
  if (!navigator.gpu) return { adapter: null, device: null, reason: `navigator.gpu is absent (isSecureContext: ${isSecureContext})` };
  const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return { adapter: null, device: null, reason: 'navigator.gpu.requestAdapter() returned null' };
  // the limits webnmf asks for when it makes its own device (src/backend/webgpu/device.ts)
  const names = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY'] as const;
  const requiredLimits: Record<string, number> = {};
  for (const name of names) requiredLimits[name] = a.limits[name];
  const device = await a.requestDevice({ label: 'webnmf-bench', requiredLimits });
  device.lost.then((info) => {
    if (info.reason !== 'destroyed') console.error(`GPU device lost: ${info.message}`);
  });
  const info = a.info;
  return {
    device,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter: (info as { isFallbackAdapter?: boolean }).isFallbackAdapter,
    },
  };
}

const { adapter, device, reason } = await probeAdapter();

const api: BenchPageApi = {
  adapter,
  reason,
  userAgent: navigator.userAgent,
  hardwareConcurrency: navigator.hardwareConcurrency,
  async fit(r: FitRequest): Promise<FitResponse> {
    if (r.backend === 'webgpu' && !device) throw new Error(`backend 'webgpu' asked for, but the page has no WebGPU device: ${reason}`);
    const X = getX(r.m, r.n, r.k);
    const points: ProgressPoint[] = [];
    const t0 = performance.now();
    const { W, H, nIter } = await nonNegativeFactorization(X, {
      nComponents: r.k,
      solver: r.solver,
      betaLoss: r.betaLoss,
      init: 'random',
      randomState: 0,
      maxIter: r.maxIter,
      tol: r.tol,
      backend: r.backend,
      ...(r.backend === 'webgpu' ? { device } : {}),
      onProgress: r.progress
        ? (p) => {
            const value = p.loss ?? p.violation;
            if (value !== undefined) points.push({ elapsedMs: p.elapsedMs, iteration: p.iteration, value });
          }
        : null,
      // a fit stopped by maxIter is what a timing fit is for: its ConvergenceWarning is expected
      onWarning: (w) => {
        if (w.category !== 'ConvergenceWarning') console.warn(`${w.category}: ${w.message}`);
      },
    });
    const ms = performance.now() - t0;
    say(`${r.m}×${r.n} k=${r.k} ${r.backend} ${r.solver} ${r.betaLoss} maxIter=${r.maxIter}: ${nIter} iterations, ${ms.toFixed(1)} ms`);
    return { ms, nIter, measure: r.solver === 'mu' ? 'loss' : 'violation', points, finalLoss: finalLoss(X, W.data, H.data, r.k, r.betaLoss) };
  },
};

window.webnmfBench = api;
say(`ready: ${adapter ? `${adapter.vendor} ${adapter.architecture}` : `no adapter (${reason})`}`);
