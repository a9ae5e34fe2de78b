// Effective arithmetic of one iteration: the multiply-adds (MACs) of the products each solver's
// update needs, counted from the math (scikit-learn's _nmf.py), not from how a backend happens to
// tile them. Elementwise work (divisions, the KL ratio X/WH, the HALS clamps) and the periodic
// loss check are left out: they are O(mn) or O((m+n)k) beside O(mnk). FLOPs = 2 · MACs.
//
//   frobenius, 'mu' and 'cd' (HALS):  2·m·n·k + 2·(m+n)·k²
//     W step: X·Hᵀ (m·n·k), H·Hᵀ (n·k²), then W·(H·Hᵀ) or the HALS sweep over W (m·k²)
//     H step: Wᵀ·X (m·n·k), Wᵀ·W (m·k²), then (Wᵀ·W)·H or the HALS sweep over H (n·k²)
//   kullback-leibler, 'mu':           4·m·n·k
//     W step: WH (m·n·k) for X/WH, then (X/WH)·Hᵀ (m·n·k); H step: WH again and Wᵀ·(X/WH)

import type { BenchLoss } from './page-api.js';

export const MAC_FORMULA: Record<BenchLoss, string> = {
  frobenius: '2·m·n·k + 2·(m+n)·k²',
  'kullback-leibler': '4·m·n·k',
};

export function macsPerIteration(m: number, n: number, k: number, loss: BenchLoss): number {
  return loss === 'frobenius' ? 2 * m * n * k + 2 * (m + n) * k * k : 4 * m * n * k;
}

/** GFLOP/s of `macs` multiply-adds done in `ms` milliseconds. */
export function gflops(macs: number, ms: number): number {
  return (2 * macs) / (ms * 1e6);
}
