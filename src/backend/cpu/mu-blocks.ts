// The Kullback-Leibler and Itakura-Saito update terms of a dense X (mu.wat): block by block of rows,
// each block's pipeline (W·H, its elementwise terms, the product back) run whole by one thread, so
// no thread waits on another between the steps and a block of WH stays in one core's cache. W's
// terms are rows of num and den, any cut among threads gives the same bits; H's are sums over
// blocks, accumulated into PARTIALS partial sums over fixed ranges of rows (whatever the number of
// threads) and added in order.

import { ab, abt, atbAdd, ratio, ratioSq, reciprocal } from './gemm.js';
import { chunkCount, evenCuts, plannedChunks, runParts, typed, wasmFor, type FloatArray } from './workspace.js';

/** H's terms are summed in this many partial sums (fewer when X has fewer blocks, or k·n is large). */
const PARTIALS = 8;
/** Partial sums may take at most this many values (so a huge k·n falls back to fewer of them). */
const MAX_PARTIAL_VALUES = 1 << 24;

export interface MuBlocks {
  /** per chunk: a block of WH and one of 1/WH (2·br·n values) */
  blocks: FloatArray;
  /** PARTIALS partial sums of H's numerator and denominator (k·n each) */
  partialNum: FloatArray;
  partialDen: FloatArray;
}

/** Partial sums H's terms use for an m×n X in blocks of br rows, k components. */
function partialCount(m: number, n: number, k: number, br: number): number {
  return Math.max(1, Math.min(PARTIALS, Math.ceil(m / br), Math.floor(MAX_PARTIAL_VALUES / Math.max(1, k * n))));
}

/** The scratch of muTermsW / muTermsH (allocateArrays specs). */
export function muBlockSpecs(m: number, n: number, k: number, br: number, beta: number, kind: 'f64' | 'f32') {
  const partials = partialCount(m, n, k, br);
  const chunks = Math.max(partials, plannedChunks());
  return {
    blocks: [kind, chunks * 2 * br * n],
    partialNum: [kind, partials * k * n],
    partialDen: [kind, beta === 0 ? partials * k * n : 0],
  } as const;
}

const S = (a: FloatArray) => a.BYTES_PER_ELEMENT;

/** num (m×k) = terms·Hᵀ, and den for β = 0 (see mu.wat), for the dense m×n X in blocks of br rows. */
export function muTermsW(X: FloatArray, W: FloatArray, H: FloatArray, num: FloatArray, den: FloatArray, m: number, n: number, k: number, beta: 0 | 1, br: number, s: MuBlocks): void {
  const wasm = wasmFor(X, W, H, num, den, s.blocks);
  const block = 2 * br * n;
  if (wasm === null) {
    for (let i0 = 0; i0 < m; i0 += br) {
      const rows = Math.min(br, m - i0);
      const [WH, D] = [s.blocks.subarray(0, rows * n), s.blocks.subarray(br * n, br * n + rows * n)];
      ab(W.subarray(i0 * k, (i0 + rows) * k), H, WH, rows, k, n);
      const Xb = X.subarray(i0 * n, (i0 + rows) * n);
      if (beta === 0) {
        reciprocal(WH, D, rows * n);
        abt(D, H, den.subarray(i0 * k, (i0 + rows) * k), rows, n, k);
        ratioSq(Xb, WH, WH, rows * n);
      } else ratio(Xb, WH, WH, rows * n);
      abt(WH, H, num.subarray(i0 * k, (i0 + rows) * k), rows, n, k);
    }
    return;
  }
  const cuts = evenCuts(m, chunkCount(wasm, 2 * m * n * k, m, br), br);
  runParts(wasm, typed('muTermsW', X), cuts.slice(1).map((i1, c) => {
    const i0 = cuts[c];
    return [W.byteOffset + i0 * k * S(W), H.byteOffset, X.byteOffset + i0 * n * S(X), num.byteOffset + i0 * k * S(num), den.byteOffset + i0 * k * S(den),
      s.blocks.byteOffset + c * block * S(X), i1 - i0, k, n, beta, br];
  }));
}

/** num (k×n) = W·ᵀterms, and den for β = 0, summed over blocks into the partial sums and then in order. */
export function muTermsH(X: FloatArray, W: FloatArray, H: FloatArray, num: FloatArray, den: FloatArray, m: number, n: number, k: number, beta: 0 | 1, br: number, s: MuBlocks): void {
  const partials = partialCount(m, n, k, br);
  const cuts = evenCuts(m, partials, br);
  const kn = k * n, block = 2 * br * n;
  s.partialNum.fill(0);
  s.partialDen.fill(0);
  const wasm = wasmFor(X, W, H, s.partialNum, s.partialDen, s.blocks);
  if (wasm === null) {
    for (let c = 0; c + 1 < cuts.length; c++) {
      const [pn, pd] = [s.partialNum.subarray(c * kn, (c + 1) * kn), s.partialDen.subarray(c * kn, (c + 1) * kn)];
      for (let i0 = cuts[c]; i0 < cuts[c + 1]; i0 += br) {
        const rows = Math.min(br, cuts[c + 1] - i0);
        const [WH, D] = [s.blocks.subarray(0, rows * n), s.blocks.subarray(br * n, br * n + rows * n)];
        const Wb = W.subarray(i0 * k, (i0 + rows) * k);
        ab(Wb, H, WH, rows, k, n);
        const Xb = X.subarray(i0 * n, (i0 + rows) * n);
        if (beta === 0) {
          reciprocal(WH, D, rows * n);
          atbAdd(Wb, D, pd, rows, k, n);
          ratioSq(Xb, WH, WH, rows * n);
        } else ratio(Xb, WH, WH, rows * n);
        atbAdd(Wb, WH, pn, rows, k, n);
      }
    }
  } else {
    // every partial sum is a part, whatever the number of threads (runParts runs them on those there are)
    runParts(wasm, typed('muTermsH', X), cuts.slice(1).map((i1, c) => {
      const i0 = cuts[c];
      return [W.byteOffset + i0 * k * S(W), H.byteOffset, X.byteOffset + i0 * n * S(X), s.partialNum.byteOffset + c * kn * S(num),
        s.partialDen.byteOffset + c * kn * S(den), s.blocks.byteOffset + c * block * S(X), i1 - i0, k, n, beta, br];
    }));
  }
  for (const [out, parts] of beta === 0 ? [[num, s.partialNum], [den, s.partialDen]] as const : [[num, s.partialNum]] as const) {
    out.set(parts.subarray(0, kn));
    for (let c = 1; c + 1 < cuts.length; c++) for (let q = 0, o = c * kn; q < kn; q++) out[q] += parts[o + q];
  }
}
