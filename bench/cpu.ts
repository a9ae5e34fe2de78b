// npm run bench:cpu — webnmf's CPU backend beside scikit-learn on the same problem, in one run.
// Figures, not a test: 2000×1000 X = RandomState(0).random_sample, k = 20, 200 iterations (tol 0).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { nonNegativeFactorization } from '../src/index.js';
import { RandomState } from '../src/random/random-state.js';

const args = process.argv.slice(2);
const [rows, cols, k, iters] = args.length >= 4 ? args.slice(0, 4).map(Number) : [2000, 1000, 20, 200];
const CASES = [
  { solver: 'mu', betaLoss: 'frobenius' },
  { solver: 'mu', betaLoss: 'kullback-leibler' },
  { solver: 'cd', betaLoss: 'frobenius' },
] as const;
const PYTHON = '/usr/bin/python3';

const rng = new RandomState(0);
const data = new Float64Array(rows * cols);
for (let i = 0; i < data.length; i++) data[i] = rng.randomSample();
const X = { rows, cols, data };

function sklearnTimes(): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(PYTHON)) return out;
  try {
    const lines = execFileSync(PYTHON, [new URL('./sklearn_nmf.py', import.meta.url).pathname, ...[rows, cols, k, iters].map(String), ...CASES.map((c) => `${c.solver}:${c.betaLoss}`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of lines.trim().split('\n')) {
      const r = JSON.parse(line);
      out.set(r.case, r.seconds);
    }
  } catch {
    console.log('(scikit-learn not available under /usr/bin/python3: webnmf figures only)');
  }
  return out;
}

console.log(`webnmf CPU vs scikit-learn: ${rows}×${cols}, k=${k}, ${iters} iterations, init 'random' (seed 0)\n`);
const sk = sklearnTimes();
const table = [];
for (const c of CASES) {
  const t0 = performance.now();
  const { nIter } = await nonNegativeFactorization(X, { ...c, nComponents: k, init: 'random', randomState: 0, tol: 0, maxIter: iters, backend: 'cpu' });
  const seconds = (performance.now() - t0) / 1000;
  const skSeconds = sk.get(`${c.solver}:${c.betaLoss}`);
  table.push({
    case: `${c.solver} ${c.betaLoss}`,
    iterations: nIter,
    'webnmf cpu (s)': seconds.toFixed(2),
    'scikit-learn (s)': skSeconds?.toFixed(2) ?? '—',
    'ratio (webnmf / sklearn)': skSeconds ? (seconds / skSeconds).toFixed(2) : '—',
  });
}
console.table(table);
