// The Backend interface: the fused steps the solvers need, at a granularity a GPU can fuse.
// Solvers (src/solvers/) hold the loop, the stopping rule, progress and warnings, once; a backend
// only computes steps. The CPU backend is the float64 reference every other backend is tested against.

import type { DataMatrix, DenseMatrix } from '../matrix/matrix.js';

export interface FitProblem {
  /** validated X (float64 dense or canonical CSR) */
  X: DataMatrix;
  /** starting W (nSamples × k) and H (k × nFeatures), float64; the plan copies them */
  W: DenseMatrix<Float64Array>;
  H: DenseMatrix<Float64Array>;
  /** β of the loss (2 frobenius, 1 KL, 0 IS, any float) */
  beta: number;
  /** false: H stays fixed, so products of H alone may be computed once */
  updateH: boolean;
}

/** One multiplicative update: num / den with L1 added to den, L2·(the factor) added to den, then ^γ. */
export interface MuStep {
  l1: number;
  l2: number;
  /** exponent of the MM update: 1/(2−β) for β < 1, 1/(β−1) for β > 2, else 1 */
  gamma: number;
}

/** One HALS sweep over the k components in `order` (scikit-learn's permutation). */
export interface HalsStep {
  l1: number;
  l2: number;
  order: Int32Array;
}

/** Everything one fit needs, built once (uploads, buffers, pipelines); run many steps; destroy once. */
export interface FitPlan {
  /** W ← W ⊙ (numerator / denominator)^γ for the plan's β, with scikit-learn's epsilon guards and clipping */
  muUpdateW(step: MuStep): void;
  /** H ← H ⊙ (numerator / denominator)^γ, likewise */
  muUpdateH(step: MuStep): void;
  /**
   * HALS sweep of every row of W given XHᵀ and HHᵀ. Starts a new iteration: the violation becomes
   * Σ|projected gradient| of this sweep.
   */
  halsSweepW(step: HalsStep): void;
  /** HALS sweep of every column of H given WᵀX and WᵀW; adds its Σ|projected gradient| to the violation. */
  halsSweepH(step: HalsStep): void;
  /** The violation of the last HALS iteration (W's sweep, plus H's if it ran). */
  lastViolation(): Promise<number>;
  /** sqrt(2·D_β(X ‖ WH)), scikit-learn's _beta_divergence(..., square_root=True) */
  reconstructionError(): Promise<number>;
  /** Current W and H (float64 on the CPU, float32 on GPU backends). */
  read(): Promise<{ W: DenseMatrix; H: DenseMatrix }>;
  /** Free everything the plan holds; safe to call twice. */
  destroy(): void;
}

export interface Backend {
  readonly name: 'cpu' | 'webgpu';
  /** Human-readable description of where it runs ("cpu (float64)", "webgpu: SwiftShader …"). */
  readonly description: string;
  /** Default convergence readback interval for 'cd' (CPU: 1, as scikit-learn; GPU: 10). */
  readonly defaultCheckEvery: number;
  createFit(problem: FitProblem): Promise<FitPlan>;
  /** Release the backend (its device, if it owns it). */
  dispose(): void;
}
