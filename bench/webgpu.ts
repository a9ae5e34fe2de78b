// npm run bench:webgpu — webnmf's WebGPU backend beside the same multiplicative updates written with
// jax-js (jit) and TF.js, on one adapter and one device, in one run. Figures, not a timed test.
//   1. ms per MU iteration (steady state), 400×300 k=10 and 1000×800 k=20, frobenius and KL
//   2. GEMM GFLOP/s at 512³
//   3. host time to encode one iteration, and GPU objects created inside the iteration loop
//   4. readbacks (mapAsync) per fit
//   5. where webnmf's GPU time goes: each step and each kernel of an iteration, with its GFLOP/s
// Options: --quick (fewer and shorter measurements, to check the bench itself runs);
//          --sections=2,5 (run only those sections); --sizes=1000x800 and --losses=kullback-leibler
//          (only those cases in sections 1 and 5, for quick iteration on one kernel).
// Two other modes (bench/README.md):
//   --plan 10000x5000x64[,csr:100000x50000x64@0.001]   the kernel plans of one iteration, dispatch by
//          dispatch, with a roofline estimate on two reference GPUs (no timing; any adapter builds them)
//   --sizes 4096x4096x64,10000x5000x64 --profile both|hardware|software [--peak-gflops N]   the run for
//          a machine with a GPU: GEMM GFLOP/s, ms and GFLOP/s per mu and cd iteration per kernel plan,
//          the fraction of peak, jax-js's jit MU beside it

import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { setupSharedGpu } from './webgpu/env.js';
import { gemmFigures } from './webgpu/gemm.js';
import { encodeFigures, fit, loopAllocations, readbackFigure, type EncodeFigure } from './webgpu/host.js';
import { jaxRunner, tfRunner, webnmfRunner, type Loss, type MuRunner } from './webgpu/mu-libraries.js';
import { makeProblem, relativeDiff, type BenchProblem } from './webgpu/problem.js';
import { profileKernels } from './webgpu/profile.js';
import { fmt, median, table, verdict } from './webgpu/report.js';
import { setupDevice, type SharedGpu } from './webgpu/env.js';
import { isSoftwareAdapter } from '../src/backend/adapter.js';
import { parsePlanShape, printPlans } from './webgpu/plan.js';
import { gpuRunFigures, type Plan } from './webgpu/gpu-run.js';

const QUICK = process.argv.includes('--quick');
/** `--name value` or `--name=value` */
function arg(name: string): string | undefined {
  const argv = process.argv;
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}
const only = process.argv.find((a) => a.startsWith('--sections='))?.slice('--sections='.length).split(',').map(Number);
const section = (i: number) => !only || only.includes(i);
const listArg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3).split(',');
const sizeFilter = listArg('sizes'), lossFilter = listArg('losses');
const SIZES = ([[400, 300, 10], [1000, 800, 20]] as [number, number, number][]).filter(([m, n]) => !sizeFilter || sizeFilter.includes(`${m}x${n}`));
const LOSSES = (['frobenius', 'kullback-leibler'] as Loss[]).filter((l) => !lossFilter || lossFilter.includes(l));
/** wall time the longer public fit aims at, ms (its iteration count follows from it) */
const BUDGET_MS = QUICK ? 1500 : 4000;
/** side by side: rounds, and the wall time each library runs per round (one chunk of iterations aims at it too) */
const ROUNDS = QUICK ? 1 : 5;
const CHUNK_MS = QUICK ? 500 : 1500;
/** iterations every library runs before timing (compiles its kernels); the factors are compared after them */
const WARM_ITERS = 3;
/** jax-js and TF.js wait for the GPU every this many iterations (jax-js's docs: block regularly) */
const SYNC_EVERY = 10;
const GEMM_N = 512;
const TARGET = { vsJax: 2, vsTf: 5, encodeUs: 50, loopBuffers: 0 };
/** the kernel plans sections 1 and 3–5 measure (the ≥ 2× jax-js target is the software plan's) */
const PLANS = ['software', 'hardware'] as const;

const started = performance.now();
const elapsed = () => ((performance.now() - started) / 1000).toFixed(0);
const log = (line: string) => console.error(`[${elapsed()} s] ${line}`);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Versions baked in when the bench is bundled for a GPU machine (gpu-run.vite.config.ts), else read from node_modules. */
declare const __BENCH_VERSIONS__: Record<string, string> | undefined;
const version = (pkg: string) => {
  if (typeof __BENCH_VERSIONS__ !== 'undefined' && __BENCH_VERSIONS__[pkg]) return __BENCH_VERSIONS__[pkg];
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version as string;
  } catch {
    return '?';
  }
};

function header(device: GPUDevice, a: SharedGpu['adapter'], choice: string, shared: string): void {
  console.log('# webnmf WebGPU benchmark\n');
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- Node ${process.version} on ${process.platform}/${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`- adapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ')}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}; ${choice}`);
  console.log(`- device (${shared}): maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize}, maxComputeWorkgroupsPerDimension ${device.limits.maxComputeWorkgroupsPerDimension}, maxComputeInvocationsPerWorkgroup ${device.limits.maxComputeInvocationsPerWorkgroup}, maxComputeWorkgroupStorageSize ${device.limits.maxComputeWorkgroupStorageSize}, features [${[...device.features].join(', ')}]`);
  console.log(`- webgpu (Dawn) ${version('webgpu')}, @jax-js/jax ${version('@jax-js/jax')}, @tensorflow/tfjs-core ${version('@tensorflow/tfjs-core')}, @tensorflow/tfjs-backend-webgpu ${version('@tensorflow/tfjs-backend-webgpu')}`);
  if (QUICK) console.log('- --quick: short measurements, figures are rough');
}

const planArg = arg('plan');
if (planArg !== undefined) {
  const alone = await setupDevice();
  header(alone.device, alone.adapter, alone.choice, 'webnmf alone');
  await printPlans(alone.device, planArg.split(',').map(parsePlanShape), log);
  console.log(`\nwhole bench ${elapsed()} s`);
  process.exit(0);
}

const gpu = await setupSharedGpu();
const { device } = gpu;
header(device, gpu.adapter, gpu.choice, 'one, shared by all three libraries');

const profileArg = arg('profile');
if (profileArg !== undefined) {
  if (isSoftwareAdapter(gpu.adapter)) console.log('\n**This adapter is a software one (a GPU emulated on the CPU): these are not a GPU\'s figures.**');
  const plans: Plan[] = profileArg === 'both' ? ['software', 'hardware'] : [profileArg as Plan];
  if (!plans.every((p) => p === 'software' || p === 'hardware')) throw new Error(`--profile: '${profileArg}' is not both, hardware or software`);
  const sizes = (arg('sizes') ?? '4096x4096x64,10000x5000x64').split(',').map((t) => {
    const m = /^(\d+)x(\d+)x(\d+)$/.exec(t.trim());
    if (!m) throw new Error(`--sizes: '${t}' is not MxNxK`);
    return [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number];
  });
  const peak = arg('peak-gflops');
  await gpuRunFigures(gpu, { sizes, plans, peakGflops: peak === undefined ? undefined : Number(peak), quick: QUICK, log });
  console.log(`\nload average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; whole bench ${elapsed()} s`);
  process.exit(0);
}

const summary: Record<string, string>[] = [];
const small = makeProblem(400, 300, 10);
/** readbacks and allocations do not depend on the size: a problem that runs fast */
const tiny = makeProblem(100, 80, 5);

// ── 1. ms per MU iteration ───────────────────────────────────────────────────────────────────────

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

/**
 * Steady state of a public fit: (T(lo + d) − T(lo)) / d iterations, tol 0, same start, so upload,
 * setup, the initial loss and the final read cancel.
 */
async function webnmfFitPerIteration(p: BenchProblem, loss: Loss): Promise<{ ms: number; iterations: string }> {
  const o = { solver: 'mu' as const, betaLoss: loss, tol: 0, gpuProfile: 'software' as const };
  await fit(p, device, { ...o, maxIter: WARM_ITERS }); // compiles the pipelines
  // lo small: its fit is there only to cancel the setup (≈ 2 iterations' worth on this backend).
  const lo = 2;
  const tLo = (await timed(() => fit(p, device, { ...o, maxIter: lo }))).ms;
  const d = Math.round(clamp(BUDGET_MS / (tLo / (lo + 2)), QUICK ? 5 : 10, 100));
  const tHi = (await timed(() => fit(p, device, { ...o, maxIter: lo + d }))).ms;
  return { ms: (tHi - tLo) / d, iterations: `${lo + d} − ${lo}` };
}

interface LoopFigure {
  ms: number;
  chunk: number;
  /** max relative difference of W, H from webnmf's after WARM_ITERS iterations */
  agree: number;
}

/**
 * The three loops measured side by side, so that all see the same load on this shared machine:
 * WARM_ITERS iterations each (compiles; the factors are compared with webnmf's), then ROUNDS rounds in
 * which every library runs chunks of iterations, each ended by waiting for the GPU, for ≈ CHUNK_MS;
 * per library the median round. Chunks are sized to ≈ CHUNK_MS and at most SYNC_EVERY iterations
 * (jax-js's docs ask to block regularly; webnmf's solver reads back every 10 when it checks).
 */
async function sideBySide(makers: (() => Promise<MuRunner>)[]): Promise<LoopFigure[]> {
  const runners: MuRunner[] = [];
  try {
    for (const make of makers) runners.push(await make());
    const factors: { W: Float32Array; H: Float32Array }[] = [];
    for (const r of runners) {
      r.iterate(WARM_ITERS);
      factors.push(await r.read());
    }
    const agree = factors.map((f) => Math.max(relativeDiff(f.W, factors[0].W), relativeDiff(f.H, factors[0].H)));
    const chunks: number[] = [];
    for (const r of runners) {
      const one = await timed(async () => (r.iterate(1), await r.sync()));
      chunks.push(Math.round(clamp(CHUNK_MS / one.ms, 1, SYNC_EVERY)));
    }
    // Every library runs for the same wall time per round (≈ CHUNK_MS, in chunks each ended by waiting
    // for the GPU), so a burst of other work on the machine lands on the three alike, not on the
    // library whose chunk is shortest.
    const perIter: number[][] = runners.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, r] of runners.entries()) {
        let ms = 0, iterations = 0;
        do {
          ms += (await timed(async () => (r.iterate(chunks[i]), await r.sync()))).ms;
          iterations += chunks[i];
        } while (ms < CHUNK_MS);
        perIter[i].push(ms / iterations);
      }
    }
    return runners.map((_, i) => ({ ms: median(perIter[i]), chunk: chunks[i], agree: agree[i] }));
  } finally {
    for (const r of runners) r.dispose();
  }
}

if (section(1)) {
  const iterRows: Record<string, string>[] = [];
  for (const [m, n, k] of SIZES) {
    const p = makeProblem(m, n, k);
    for (const loss of LOSSES) {
      const name = `${m}×${n} k=${k} ${loss}`;
      log(`1. ${name}: webnmf public fits`);
      const f = await webnmfFitPerIteration(p, loss);
      log(`1. ${name}: webnmf (both plans), jax-js, TF.js side by side`);
      const [w, hw, j, t] = await sideBySide([
        () => webnmfRunner(device, p, loss, 'software'), () => webnmfRunner(device, p, loss, 'hardware'), async () => jaxRunner(gpu.jax, p, loss), async () => tfRunner(gpu.tf, p, loss),
      ]);
      iterRows.push({
        case: name,
        'webnmf fit (public API, software plan)': fmt(f.ms, 1),
        'webnmf loop, software plan': fmt(w.ms, 1),
        'webnmf loop, hardware plan': fmt(hw.ms, 1),
        'jax-js': fmt(j.ms, 1),
        'TF.js': fmt(t.ms, 1),
        'jax-js / webnmf software': fmt(j.ms / w.ms, 2),
        'TF.js / webnmf software': fmt(t.ms / w.ms, 2),
        'jax-js / webnmf hardware': fmt(j.ms / hw.ms, 2),
        [`iterations (fit: hi − lo; loops: per chunk, chunks for ≈ ${CHUNK_MS} ms × rounds)`]: `${f.iterations}; ${w.chunk}, ${hw.chunk}, ${j.chunk}, ${t.chunk} × ${ROUNDS}`,
        [`W,H vs webnmf after ${WARM_ITERS} (hardware; jax; tf)`]: `${hw.agree.toExponential(1)}; ${j.agree.toExponential(1)}; ${t.agree.toExponential(1)}`,
      });
      summary.push({ target: `${name}: ≥ ${TARGET.vsJax}× jax-js`, measured: `${fmt(j.ms / w.ms, 2)}×`, verdict: verdict(j.ms / w.ms >= TARGET.vsJax) });
      summary.push({ target: `${name}: ≥ ${TARGET.vsTf}× TF.js`, measured: `${fmt(t.ms / w.ms, 2)}×`, verdict: verdict(t.ms / w.ms >= TARGET.vsTf) });
    }
  }
  console.log('\n## 1. Milliseconds per MU iteration (float32, same X, W0, H0)\n');
  console.log(table(iterRows));
  console.log(`\n"webnmf fit": public nonNegativeFactorization (solver 'mu', tol 0, init 'custom', gpuProfile 'software'), (T(hi) − T(lo)) / (hi − lo) iterations. "webnmf loop" (each kernel plan), jax-js, TF.js: measured side by side (same machine load): ${WARM_ITERS} warm-up iterations, then ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} in which each runs chunks (each ended by waiting for the GPU) for ≈ ${CHUNK_MS} ms; the median round. webnmf's loop is the FitPlan's muUpdateW + muUpdateH, as the solver calls them. Ratios use the side-by-side figures; the ≥ 2× jax-js target is the software plan's (what 'auto' runs on a software adapter), the hardware plan is shaped for real GPUs and shown for the record.`);
}

// ── 2. GEMM ──────────────────────────────────────────────────────────────────────────────────────
if (section(2)) {

  log(`2. GEMM ${GEMM_N}³`);
  const gemm = await gemmFigures(gpu, GEMM_N, QUICK ? 1 : 3);
  console.log(`\n## 2. GEMM ${GEMM_N}³ (C = A·B, float32)\n`);
  console.log(table(gemm.map((g) => ({ kernel: g.name, 'ms': fmt(g.ms, 1), 'GFLOP/s': fmt(g.gflops, 3), 'rel. error vs float64': g.error.toExponential(1), 'rounds (fastest kept)': String(g.reps) }))));
  const gemmWebnmf = gemm[0], gemmJax = gemm.find((g) => g.name.startsWith('jax-js'))!;
  summary.push({ target: `GEMM ${GEMM_N}³ ≥ jax-js (${fmt(gemmJax.gflops, 3)} GFLOP/s)`, measured: `${fmt(gemmWebnmf.gflops, 3)} GFLOP/s`, verdict: verdict(gemmWebnmf.gflops >= gemmJax.gflops) });
}

// ── 3. Host encode time and allocations in the loop ──────────────────────────────────────────────
if (section(3)) {

  log('3. encode time and loop allocations');
  const encodeIters = QUICK ? 5 : 20;
  // The host cost alone shows on a problem whose dispatches are almost free: on SwiftShader the GPU's
  // work runs on the same CPU cores as the encoding, and inflates the figures at 400×300.
  const micro = makeProblem(16, 12, 2);
  const encode: (EncodeFigure & { size: string })[] = [];
  for (const [p, size, iters] of [[small, '400×300 k=10', encodeIters], [micro, '16×12 k=2', QUICK ? 10 : 50]] as const) {
    for (const plan of PLANS) {
      for (const [solver, beta] of [['mu', 2], ['mu', 1], ['cd', 2]] as const) encode.push({ size: `${size}, ${plan} plan`, ...(await encodeFigures(device, p, solver, beta, iters, plan)) });
    }
  }
  const allocs = [];
  for (const plan of PLANS) {
    allocs.push([`mu frobenius, ${plan} plan`, await loopAllocations(device, tiny, { solver: 'mu', betaLoss: 'frobenius', tol: 0, gpuProfile: plan }, 10, 30)] as const);
    allocs.push([`cd, ${plan} plan`, await loopAllocations(device, tiny, { solver: 'cd', tol: 0, gpuProfile: plan }, 10, 30)] as const);
  }
  console.log('\n## 3. Host time to encode one iteration, and WebGPU calls per iteration\n');
  console.log(table(encode.map((e) => ({
    size: e.size,
    case: e.case,
    iterations: String(e.iterations),
    'µs, GPU idle (median / p90)': `${fmt(e.idle.medianUs, 0)} / ${fmt(e.idle.p90Us, 0)}`,
    'µs, back to back (median / p90)': `${fmt(e.busy.medianUs, 0)} / ${fmt(e.busy.p90Us, 0)}`,
    'µs inside submit': fmt(e.usInside.submit, 0),
    'µs inside writeBuffer': fmt(e.usInside.writeBuffer, 0),
    'µs inside createCommandEncoder': fmt(e.usInside.createCommandEncoder, 0),
    'submit': fmt(e.perIteration.submit, 1),
    'createCommandEncoder': fmt(e.perIteration.createCommandEncoder, 1),
    'writeBuffer': fmt(e.perIteration.writeBuffer, 1),
    'createBuffer': fmt(e.perIteration.createBuffer, 1),
    'createBindGroup': fmt(e.perIteration.createBindGroup, 1),
  }))));
  console.log('\nµs: wall time of the synchronous step calls (FitPlan.muUpdateW + muUpdateH, or halsSweepW + halsSweepH) on the FitPlan the WebGPU backend builds on the shared device; "GPU idle": the queue drained (awaited, untimed) before each iteration; "back to back": the GPU still busy with earlier iterations (SwiftShader runs on the same CPU cores). "inside": host time within those WebGPU calls (back to back). The last columns: calls per iteration.');
  console.log('\nPublic fits (100×80 k=5): GPU calls per loop iteration = (calls of a 30-iteration fit − calls of a 10-iteration fit) / 20\n');
  console.log(table(allocs.map(([name, x]) => {
    return {
      fit: name as string,
      'createBuffer /iter': fmt(x.perIteration.createBuffer, 2),
      'createBindGroup /iter': fmt(x.perIteration.createBindGroup, 2),
      'createComputePipeline /iter': fmt(x.perIteration.createComputePipeline, 2),
      'submit /iter': fmt(x.perIteration.submit, 2),
      'createBuffer per fit (10 iter)': String(x.lo.createBuffer),
      'createBindGroup per fit (10 iter)': String(x.lo.createBindGroup),
    };
  })));
  for (const plan of PLANS) {
    const worstEncode = Math.max(...encode.filter((e) => e.size === `16×12 k=2, ${plan} plan`).map((e) => e.busy.medianUs));
    summary.push({ target: `encode one iteration ≤ ${TARGET.encodeUs} µs (16×12 k=2, ${plan} plan, back to back: median, worst solver)`, measured: `${fmt(worstEncode, 0)} µs`, verdict: verdict(worstEncode <= TARGET.encodeUs) });
  }
  const loopBuffers = Math.max(...allocs.map(([, x]) => x.perIteration.createBuffer), ...encode.map((e) => e.perIteration.createBuffer));
  summary.push({ target: 'GPU buffers created in the loop = 0', measured: fmt(loopBuffers, 2), verdict: verdict(loopBuffers === TARGET.loopBuffers) });
}

// ── 4. Readbacks ─────────────────────────────────────────────────────────────────────────────────
if (section(4)) {

  log('4. readbacks');
  const reads = [];
  for (const gpuProfile of PLANS) {
    const p = `, ${gpuProfile} plan`;
    reads.push(
      await readbackFigure(device, tiny, `cd, tol 1e-12, checkEvery 10, maxIter 100${p}`, { solver: 'cd', tol: 1e-12, checkEvery: 10, maxIter: 100, gpuProfile }, 10),
      await readbackFigure(device, tiny, `mu frobenius, tol 1e-12, maxIter 100${p}`, { solver: 'mu', tol: 1e-12, maxIter: 100, gpuProfile }, 10),
      await readbackFigure(device, tiny, `mu kullback-leibler, tol 1e-12, maxIter 100${p}`, { solver: 'mu', betaLoss: 'kullback-leibler', tol: 1e-12, maxIter: 100, gpuProfile }, 10),
      await readbackFigure(device, tiny, `mu frobenius, tol 0, maxIter 100${p}`, { solver: 'mu', tol: 0, maxIter: 100, gpuProfile }, Infinity),
    );
  }
  console.log('\n## 4. Readbacks (mapAsync) per public fit (100×80 k=5; the count does not depend on the size)\n');
  console.log(table(reads.map((r) => ({ fit: r.case, nIter: String(r.nIter), mapAsync: String(r.mapAsync), 'target ⌈nIter/checkEvery⌉ + 1': String(r.target), verdict: verdict(r.mapAsync <= r.target) }))));
  for (const r of reads) summary.push({ target: `readbacks, ${r.case} ≤ ${r.target}`, measured: String(r.mapAsync), verdict: verdict(r.mapAsync <= r.target) });
}

// ── 5. Where the GPU time goes ───────────────────────────────────────────────────────────────────
if (section(5)) {

  console.log('\n## 5. webnmf per step and per kernel (each dispatch alone, onSubmittedWorkDone after it)\n');
  const profileCases: [BenchProblem, number, 'mu' | 'cd', string][] = [];
  for (const [m, n, k] of SIZES) {
    const p = makeProblem(m, n, k);
    for (const loss of LOSSES) profileCases.push([p, loss === 'frobenius' ? 2 : 1, 'mu', `${m}×${n} k=${k} mu ${loss}`]);
  }
  if (!sizeFilter && !lossFilter) profileCases.push([small, 2, 'cd', '400×300 k=10 cd frobenius']);
  for (const [p, beta, solver, caseName] of profileCases) {
    for (const plan of PLANS) {
      const name = `${caseName}, ${plan} plan`;
      log(`5. profile ${name}`);
      const r = await profileKernels(device, p, beta, solver, QUICK ? 1 : 3, plan);
      const total = r.kernels.filter((x) => !x.step.startsWith('loss')).reduce((s, x) => s + x.ms, 0);
      console.log(`### ${name}: steps ${r.steps.map((s) => `${s.step} ${fmt(s.ms, 1)} ms`).join(', ')} (empty-submit round trip ${fmt(r.latency * 1000, 0)} µs, subtracted)\n`);
      console.log(table(r.kernels.map((x) => ({
        step: x.step,
        kernel: x.label,
        workgroups: x.grid,
        ms: fmt(x.ms, 2),
        'share of iteration': x.step.startsWith('loss') ? '—' : `${fmt((100 * x.ms) / total, 0)} %`,
        'GFLOP/s': x.flops ? fmt(x.flops / x.ms / 1e6, 3) : '—',
      }))));
      console.log('');
    }
  }

}

// ── Summary ──────────────────────────────────────────────────────────────────────────────────────

console.log('\n## Targets\n');
console.log(table(summary));
console.log(`\nload average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; whole bench ${elapsed()} s`);
process.exit(0); // Dawn keeps the event loop alive
