// The published shape: `npm run build` writes dist/ (ESM + .d.ts) and import('webnmf') resolves to it
// through package.json's "exports", with no TypeScript tooling at run time.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the built package', () => {
  it('builds, and import("webnmf") from plain Node runs a fit', () => {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
    expect(existsSync(`${root}/dist/index.js`)).toBe(true);
    expect(existsSync(`${root}/dist/index.d.ts`)).toBe(true);
    const script = `
      const webnmf = await import('webnmf');
      const { W, H, nIter } = await webnmf.nonNegativeFactorization(
        [[1, 1], [2, 1], [3, 1.2], [4, 1], [5, 0.8], [6, 1]],
        { nComponents: 2, init: 'random', randomState: 0, backend: 'cpu' });
      console.log(JSON.stringify({ exports: Object.keys(webnmf).sort(), W: Array.from(W.data), H: Array.from(H.data), nIter }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out.exports).toEqual(expect.arrayContaining(['NMF', 'nonNegativeFactorization', 'InvalidParameterError', 'NMFError', 'toArray']));
    // scikit-learn's documented result for this example (non_negative_factorization docstring), 5 decimals
    const skW = [0, 0.46881, 0.557, 0.38941, 1.00332, 0.41925, 1.6734, 0.22927, 2.34349, 0.03928, 2.78982, 0.06912];
    out.W.forEach((v: number, i: number) => expect(v).toBeCloseTo(skW[i], 5));
    expect(out.H.map((v: number) => +v.toFixed(5))).toEqual([2.09783, 0.3056, 2.13443, 2.13172]);
    expect(out.nIter).toBe(30);
  }, 120_000);
});
