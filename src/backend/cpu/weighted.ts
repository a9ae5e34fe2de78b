// Weighted NMF for the CPU backend: the β-divergence summed over observed entries only, each with
// its weight (a 0/1 mask of missing values, or any non-negative weights). The MU updates are the
// usual ones with M ⊙ in front of every elementwise term (Blondel, Ho & Van Dooren 2008):
//   W ← W ⊙ [(M ⊙ X ⊙ (WH)^(β−2))·Hᵀ] / [(M ⊙ (WH)^(β−1))·Hᵀ],   and likewise for H,
// computed at the observed entries only, so the cost is O(entries·k) whatever X's size.

import type { WeightedEntries } from '../backend.js';
import { divergenceEntry, divergenceFromEntrySum, muDenominatorTerm, muNumeratorTerm } from '../../loss.js';
import { transpose } from './hals.js';
import { gather, plainSparseX, sampleDot, spmm, type SparseX } from './sparse.js';

export class WeightedTerms {
  /** the entries' structure (CSR and CSC), Hᵀ, and an n×k scratch */
  private readonly sx: SparseX;
  private readonly Ht: Float64Array;
  private readonly nk: Float64Array;
  /** (WH) at the entries, then the numerator's and the denominator's elementwise terms (CSR order), and CSC order */
  private readonly wh: Float64Array;
  private readonly V: Float64Array;
  private readonly D: Float64Array;
  private readonly csc: Float64Array;

  constructor(private readonly E: WeightedEntries, private readonly k: number, private readonly beta: number) {
    const nnz = E.weights.length;
    this.sx = plainSparseX({ rows: E.rows, cols: E.cols, indptr: E.indptr, indices: E.indices, data: E.values });
    this.Ht = new Float64Array(E.cols * k);
    this.nk = new Float64Array(E.cols * k);
    this.wh = new Float64Array(nnz);
    this.V = new Float64Array(nnz);
    this.D = new Float64Array(nnz);
    this.csc = new Float64Array(nnz);
  }

  /** (WH) at the entries. */
  private sample(W: Float64Array, H: Float64Array): void {
    transpose(H, this.Ht, this.k, this.E.cols);
    sampleDot(this.sx.csr, W, this.Ht, this.wh, this.k);
  }

  /** V = M ⊙ X ⊙ (WH)^(β−2), D = M ⊙ (WH)^(β−1) at the entries, guarded as the unweighted updates are. */
  private terms(W: Float64Array, H: Float64Array): void {
    const { E, beta, wh, V, D } = this;
    this.sample(W, H);
    for (let p = 0; p < wh.length; p++) {
      V[p] = E.weights[p] * muNumeratorTerm(beta, E.values[p], wh[p]);
      D[p] = E.weights[p] * muDenominatorTerm(beta, wh[p]);
    }
  }

  /** num = V·Hᵀ, den = D·Hᵀ (m × k) */
  forW(W: Float64Array, H: Float64Array, num: Float64Array, den: Float64Array): void {
    this.terms(W, H);
    spmm(this.sx.csr, this.V, this.Ht, num, this.k);
    spmm(this.sx.csr, this.D, this.Ht, den, this.k);
  }

  /** num = Wᵀ·V, den = Wᵀ·D (k × n) */
  forH(W: Float64Array, H: Float64Array, num: Float64Array, den: Float64Array): void {
    this.terms(W, H);
    for (const [terms, out] of [[this.V, num], [this.D, den]] as const) {
      gather(this.sx.csc.perm, terms, this.csc, terms.length);
      spmm(this.sx.csc, this.csc, W, this.nk, this.k);
      transpose(this.nk, out, this.E.cols, this.k);
    }
  }

  /** D_β summed over the entries, each term times its weight (src/loss.ts's divergenceEntry). */
  divergence(W: Float64Array, H: Float64Array): number {
    const { E, beta, wh } = this;
    this.sample(W, H);
    let sum = 0;
    for (let p = 0; p < wh.length; p++) sum += E.weights[p] * divergenceEntry(beta, E.values[p], wh[p]);
    return divergenceFromEntrySum(beta, sum);
  }
}
