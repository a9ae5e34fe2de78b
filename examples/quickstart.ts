// npm start — webnmf on embedded data: scikit-learn's documentation example, then a 300×200
// matrix of known rank 6, factored by both solvers. No arguments, no downloads.

import { NMF, nonNegativeFactorization, toArray } from '../src/index.js';
import { RandomState } from '../src/random/random-state.js';

// scikit-learn's docstring example: its W and H are printed in sklearn's documentation.
const docX = [[1, 1], [2, 1], [3, 1.2], [4, 1], [5, 0.8], [6, 1]];
const doc = await nonNegativeFactorization(docX, { nComponents: 2, init: 'random', randomState: 0 });
console.log("scikit-learn's documentation example (nComponents 2, init 'random', randomState 0):");
console.log('  W =', JSON.stringify(toArray(doc.W).map((r) => r.map((v) => +v.toFixed(5)))));
console.log('  H =', JSON.stringify(toArray(doc.H).map((r) => r.map((v) => +v.toFixed(5)))));
console.log(`  nIter = ${doc.nIter}\n`);

// A matrix of exact rank 6: W_true·H_true with W_true, H_true uniform in [0, 1).
const rng = new RandomState(0);
const [m, n, rank] = [300, 200, 6];
const Wt = Array.from({ length: m * rank }, () => rng.randomSample());
const Ht = Array.from({ length: rank * n }, () => rng.randomSample());
const data = new Float64Array(m * n);
for (let i = 0; i < m; i++) for (let r = 0; r < rank; r++) for (let j = 0; j < n; j++) data[i * n + j] += Wt[i * rank + r] * Ht[r * n + j];
const X = { rows: m, cols: n, data };
const normX = Math.hypot(...data);

for (const [solver, betaLoss] of [['cd', 'frobenius'], ['mu', 'frobenius'], ['mu', 'kullback-leibler']] as const) {
  const model = new NMF({ nComponents: rank, solver, betaLoss, maxIter: 500, randomState: 0, onWarning: () => {} });
  const t0 = performance.now();
  const W = await model.fitTransform(X);
  const ms = performance.now() - t0;
  const H = model.components!;
  console.log(
    `${solver.padEnd(2)} ${betaLoss.padEnd(16)} W ${W.rows}×${W.cols}, H ${H.rows}×${H.cols}, ` +
      `${String(model.nIter).padStart(3)} iterations, loss ${model.reconstructionErr!.toExponential(3)}` +
      (betaLoss === 'frobenius' ? ` (relative ${(model.reconstructionErr! / normX).toExponential(2)})` : '') +
      `, ${ms.toFixed(0)} ms on ${model.backendUsed}`,
  );
}
