// npm run bench:cpu — webnmf's CPU backend beside scikit-learn on the same problems, in one run.
// Figures, not a test. scikit-learn runs in a long-lived /usr/bin/python3 (bench/sklearn_server.py)
// with OPENBLAS_CORETYPE=SkylakeX on AVX-512 CPUs unless the environment sets it; each round runs every case on both
// sides one after the other (which side goes first alternates; each starts once the other's threads
// are idle), and the tables report medians over rounds.
//
// Cases (--only=topics,dense,float32 picks groups; --rounds=N, default 3):
//   topics   the main job's workload: TF-IDF of the State of the Union passages made by scikit-learn's
//            own TfidfVectorizer (topic-extraction settings, exported as .mtx so both factor the same
//            CSR matrix), init 'nndsvda', alpha_W = alpha_H = 5e-5, random_state 1; fit time with the
//            start included
//   dense    2000×1000 X = RandomState(0).random_sample, k = 20, 200 iterations (tol 0), init
//            'random' (seed 0)
//   float32  the same problems with float32 X (scikit-learn then computes and returns float32)

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseMatrixMarket } from '../src/cli/mtx.js';
import { sotuCorpus } from '../src/cli/sotu.js';
import type { CsrMatrix, DenseMatrix } from '../src/matrix/matrix.js';
import { NMF, type NMFOptions } from '../src/index.js';
import { RandomState } from '../src/random/random-state.js';
import { measurePeak } from './peak.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, only: { type: 'string', default: 'topics,dense,float32' } } });
const ROUNDS = Number(values.rounds);
const GROUPS = new Set(values.only.split(','));
const PYTHON = '/usr/bin/python3';
/**
 * Debian's OpenBLAS 0.3.21 does not recognise recent AVX-512 Xeons and runs its slowest kernels; its
 * SkylakeX kernels are scikit-learn at its best there. Only where the CPU has AVX-512: elsewhere they
 * would stop at an illegal instruction, and OpenBLAS's own choice stands.
 */
const CORETYPE = process.env.OPENBLAS_CORETYPE ?? (hasAvx512() ? 'SkylakeX' : undefined);

function hasAvx512(): boolean {
  try {
    return /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false; // not Linux: leave OpenBLAS to choose
  }
}

type Matrix = CsrMatrix | DenseMatrix;
interface Case {
  group: 'topics' | 'dense' | 'float32';
  name: string;
  /** name of X on both sides */
  X: string;
  options: NMFOptions;
  /** webnmf time / scikit-learn time at most this (issue 13), or null: reported only */
  target: number | null;
}

/** The options, as scikit-learn's keyword arguments. */
function sklearnParams(o: NMFOptions): Record<string, unknown> {
  const names: Record<string, string> = {
    nComponents: 'n_components', init: 'init', solver: 'solver', betaLoss: 'beta_loss', tol: 'tol', maxIter: 'max_iter',
    alphaW: 'alpha_W', alphaH: 'alpha_H', l1Ratio: 'l1_ratio', randomState: 'random_state',
  };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [names[k], v]));
}

const TOPIC = { init: 'nndsvda', alphaW: 5e-5, alphaH: 5e-5, randomState: 1 } as const;
const DENSE = { nComponents: 20, init: 'random', randomState: 0, tol: 0, maxIter: 200 } as const;
const ALL_CASES: Case[] = [
  { group: 'topics', name: 'topics 1000 terms k=10 cd', X: 'tfidf1000', options: { ...TOPIC, nComponents: 10, l1Ratio: 1 }, target: 0.5 },
  { group: 'topics', name: 'topics 10000 terms k=20 cd', X: 'tfidf10000', options: { ...TOPIC, nComponents: 20, l1Ratio: 1 }, target: 0.5 },
  {
    group: 'topics', name: 'topics 10000 terms k=20 mu KL', X: 'tfidf10000',
    options: { ...TOPIC, nComponents: 20, solver: 'mu', betaLoss: 'kullback-leibler', l1Ratio: 0.5, maxIter: 1000 }, target: 0.5,
  },
  { group: 'dense', name: 'dense 2000×1000 k=20 mu frobenius', X: 'dense', options: { ...DENSE, solver: 'mu' }, target: 1.25 },
  { group: 'dense', name: 'dense 2000×1000 k=20 cd', X: 'dense', options: { ...DENSE, solver: 'cd' }, target: 1.25 },
  { group: 'dense', name: 'dense 2000×1000 k=20 mu KL', X: 'dense', options: { ...DENSE, solver: 'mu', betaLoss: 'kullback-leibler' }, target: 0.8 },
  { group: 'float32', name: 'float32 dense 2000×1000 k=20 mu frobenius', X: 'dense32', options: { ...DENSE, solver: 'mu' }, target: null },
  { group: 'float32', name: 'float32 dense 2000×1000 k=20 cd', X: 'dense32', options: { ...DENSE, solver: 'cd' }, target: null },
  { group: 'float32', name: 'float32 dense 2000×1000 k=20 mu KL', X: 'dense32', options: { ...DENSE, solver: 'mu', betaLoss: 'kullback-leibler' }, target: null },
  { group: 'float32', name: 'float32 topics 10000 terms k=20 cd', X: 'tfidf10000f32', options: { ...TOPIC, nComponents: 20, l1Ratio: 1 }, target: null },
];
const CASES = ALL_CASES.filter((c) => GROUPS.has(c.group));

/** scikit-learn in one long-lived process: request() sends one JSON line and resolves with the reply line. */
function startSklearn() {
  const child = spawn(PYTHON, [new URL('./sklearn_server.py', import.meta.url).pathname], {
    env: CORETYPE ? { ...process.env, OPENBLAS_CORETYPE: CORETYPE } : process.env, stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async request(message: object): Promise<Record<string, any>> {
      child.stdin.write(`${JSON.stringify(message)}\n`);
      const { value, done } = await replies.next();
      if (done) throw new Error('the scikit-learn process ended');
      const reply = JSON.parse(value);
      if (reply.error) throw new Error(`scikit-learn: ${reply.error}`);
      return reply;
    },
    close: () => child.stdin.end(),
  };
}

/** CPU seconds every process on the machine has used (Linux /proc/stat, USER_HZ = 100). */
function machineCpuSeconds(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return (ticks.reduce((a, b) => a + b) - ticks[3] - ticks[4]) / 100;
}
const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage(); // the whole process: worker threads included
  return (user + system) / 1e6;
};

interface Run { seconds: number; nIter: number; err: number; dtype: string; /** cores other processes used meanwhile */ others: number }

async function runWebnmf(c: Case, X: Matrix): Promise<Run> {
  const [machine0, own0] = [machineCpuSeconds(), ownCpuSeconds()];
  const t0 = performance.now();
  const model = new NMF({ ...c.options, backend: 'cpu', onWarning: () => {} });
  const W = await model.fitTransform(X);
  const seconds = (performance.now() - t0) / 1000;
  const others = (machineCpuSeconds() - machine0 - (ownCpuSeconds() - own0)) / seconds;
  return { seconds, nIter: model.nIter!, err: model.reconstructionErr!, dtype: W.data.constructor.name, others };
}

async function runSklearn(sk: ReturnType<typeof startSklearn>, c: Case): Promise<Run> {
  const machine0 = machineCpuSeconds();
  const r = await sk.request({ op: 'fit', X: c.X, params: sklearnParams(c.options) });
  const others = (machineCpuSeconds() - machine0 - r.cpuSeconds) / r.seconds;
  return { seconds: r.seconds, nIter: r.nIter, err: r.err, dtype: r.dtype, others };
}

/**
 * Waits until the other processes have been idle for a 100 ms window (at most 2 s). After a fit,
 * scikit-learn's BLAS and OpenMP threads keep spinning for a while; started at once, the next
 * side's run shared the cores with them (topics 1000, a 0.3 s fit: 0.28–0.32 cores taken and 1.3×
 * its time whenever scikit-learn had just run, in every round).
 */
async function settle(): Promise<void> {
  const deadline = performance.now() + 2000;
  while (performance.now() < deadline) {
    const [machine0, own0] = [machineCpuSeconds(), ownCpuSeconds()];
    await new Promise((resolve) => setTimeout(resolve, 100));
    // /proc/stat counts in 10 ms ticks: idle means at most one tick elsewhere
    if (!(machineCpuSeconds() - machine0 - (ownCpuSeconds() - own0) > 0.01)) return;
  }
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const sk = startSklearn();
const info = await sk.request({ op: 'info' });
const blas = (info.blas as { user_api: string; internal_api: string; version: string | null; architecture?: string; num_threads: number; threading_layer?: string }[])
  .map((b) => `${b.internal_api} ${b.version ?? ''} (${b.user_api}${b.architecture ? `, ${b.architecture} kernels` : ''}, ${b.num_threads} threads${b.threading_layer ? `, ${b.threading_layer}` : ''})`)
  .join('; ');
console.log(`webnmf CPU backend vs scikit-learn ${info.sklearn} (numpy ${info.numpy}, scipy ${info.scipy}), ${ROUNDS} rounds, medians`);
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, Node ${process.version}; OPENBLAS_CORETYPE=${CORETYPE ?? 'unset (OpenBLAS chooses)'}; BLAS (threadpoolctl): ${blas || 'none found'}`);
const load0 = loadavg();
// This host's speed drifts between (and within) quiet windows: the WASM SIMD peak before and after
// the rounds says how much, beside the other processes' load each row reports.
const peak0 = await measurePeak('f64x2');

const matrices = new Map<string, Matrix>();
const needs = new Set(CASES.map((c) => c.X));
const work = mkdtempSync(join(tmpdir(), 'webnmf-bench-'));
try {
  if ([...needs].some((name) => name.startsWith('tfidf'))) {
    const docs = join(work, 'docs.json');
    writeFileSync(docs, JSON.stringify((await sotuCorpus(200)).documents));
    for (const terms of [1000, 10000]) {
      if (![...needs].some((name) => name.startsWith(`tfidf${terms}`))) continue;
      const out = join(work, `tfidf${terms}.mtx`);
      const shape = await sk.request({ op: 'tfidf', docs, maxFeatures: terms, out });
      console.log(`X (scikit-learn's TfidfVectorizer, max_features ${terms}): ${shape.rows} × ${shape.cols}, ${shape.nnz} nonzeros (${((100 * shape.nnz) / shape.rows / shape.cols).toFixed(2)}%)`);
      const X = parseMatrixMarket(readFileSync(out, 'utf8'), out) as CsrMatrix;
      for (const [name, dtype] of [[`tfidf${terms}`, 'float64'], [`tfidf${terms}f32`, 'float32']] as const) {
        if (!needs.has(name)) continue;
        await sk.request({ op: 'load', name, mtx: out, dtype });
        matrices.set(name, dtype === 'float64' ? X : { ...X, data: Float32Array.from(X.data) } as unknown as CsrMatrix);
      }
    }
  }
  for (const [name, dtype] of [['dense', 'float64'], ['dense32', 'float32']] as const) {
    if (!needs.has(name)) continue;
    const rows = 2000, cols = 1000;
    const rng = new RandomState(0);
    const data = dtype === 'float64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = rng.randomSample();
    await sk.request({ op: 'load', name, random: [rows, cols], dtype });
    matrices.set(name, { rows, cols, data });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Warm-up, untimed: each side compiles and starts what a long-running process would already have
// (V8's JIT and WebAssembly compilation, webnmf's worker threads; scikit-learn's imports). Each case
// runs a few iterations on its own X: V8 tiers a WebAssembly function up only once it has run a
// while (a call that starts in its baseline code ends there), and a tiny X left the first timed
// round of topics 1000 in baseline code (0.35–0.37 s against 0.21–0.28 in later rounds).
for (const c of CASES) {
  const options = { ...c.options, maxIter: 5 };
  await new NMF({ ...options, backend: 'cpu', onWarning: () => {} }).fitTransform(matrices.get(c.X)!);
  await sk.request({ op: 'fit', X: c.X, params: sklearnParams(options) });
}

const runs = new Map<Case, { webnmf: Run[]; sklearn: Run[] }>(CASES.map((c) => [c, { webnmf: [], sklearn: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of CASES) {
    const r = runs.get(c)!;
    const sides = [async () => r.webnmf.push(await runWebnmf(c, matrices.get(c.X)!)), async () => r.sklearn.push(await runSklearn(sk, c))];
    if (round % 2 === 1) sides.reverse();
    for (const side of sides) {
      await settle();
      await side();
    }
    const [w, s] = [r.webnmf.at(-1)!, r.sklearn.at(-1)!];
    console.log(`  round ${round + 1}  ${c.name.padEnd(42)} webnmf ${w.seconds.toFixed(3)} s  scikit-learn ${s.seconds.toFixed(3)} s  (${(w.seconds / s.seconds).toFixed(2)}×; others ${w.others.toFixed(2)} / ${s.others.toFixed(2)} cores)`);
  }
}
sk.close();
const load1 = loadavg();
const peak1 = await measurePeak('f64x2');

console.log(`\nload average ${load0.map((l) => l.toFixed(2)).join(' ')} at start, ${load1.map((l) => l.toFixed(2)).join(' ')} at end`);
console.log(`WASM SIMD f64x2 peak per core (bench/peak.ts): ${peak0.toFixed(2)} GMAC/s at start, ${peak1.toFixed(2)} at end\n`);
console.log('| case | webnmf (s) | scikit-learn (s) | ratio | rounds\' ratios | target | nIter webnmf / sklearn | error rel. diff | dtype | other load (cores) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const c of CASES) {
  const { webnmf, sklearn } = runs.get(c)!;
  const [w, s] = [median(webnmf.map((r) => r.seconds)), median(sklearn.map((r) => r.seconds))];
  const ratio = w / s;
  const roundRatios = webnmf.map((r, i) => r.seconds / sklearn[i].seconds);
  const spread = `${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)}×`;
  const met = c.target === null ? '—' : `≤ ${c.target}× ${ratio <= c.target ? 'met' : 'NOT met'}`;
  const errDiff = Math.abs(webnmf[0].err - sklearn[0].err) / sklearn[0].err;
  const others = median([...webnmf, ...sklearn].map((r) => r.others));
  console.log(`| ${c.name} | ${w.toFixed(3)} | ${s.toFixed(3)} | ${ratio.toFixed(2)}× | ${spread} | ${met} | ${webnmf[0].nIter} / ${sklearn[0].nIter} | ${errDiff.toExponential(1)} | ${webnmf[0].dtype.replace('Array', '')} / ${sklearn[0].dtype} | ${others.toFixed(2)} |`);
}
