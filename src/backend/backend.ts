// The Backend interface: the fused steps the solvers need, at a granularity a GPU can fuse.
// Solvers (src/solvers/) hold the loop, the stopping rule, progress and warnings, once; a backend
// only computes steps. The CPU backend is the float64 reference every other backend is tested against.

import type { DataMatrix, DenseMatrix } from '../matrix/matrix.js';
import type { GpuProfile } from '../params.js';
import type { BackendSupports } from './capabilities.js';

export interface FitProblem {
  /** validated X (float64 dense or canonical CSR) */
  X: DataMatrix;
  /** starting W (nSamples × k) and H (k × nFeatures), float64; the plan copies them */
  W: DenseMatrix<Float64Array>;
  H: DenseMatrix<Float64Array>;
  /** β of the loss (2 frobenius, 1 KL, 0 IS, any float) */
  beta: number;
  /**
   * false: non_negative_factorization with update_H=False (H fixed; scikit-learn's cached-H-sum quirk
   * applies to KL with L1). Plans that never update H may still say true.
   */
  updateH: boolean;
  /** MiniBatchNMF's running numerator and denominator of H (k × nFeatures); the plan copies them */
  averages?: HAverages;
  /** the plan will run MiniBatchSteps (GPU backends prepare them only then) */
  minibatch?: boolean;
  /** Weighted NMF ('mu' only): the loss counts these entries only, each with its weight */
  weighted?: WeightedEntries;
  /**
   * X was float32 (scikit-learn's dtype rule): the CPU backend then computes in float32 and reads
   * back Float32Array W, H (GPU backends compute in float32 anyway).
   */
  float32?: boolean;
}

/**
 * The observed entries of X for weighted NMF, in CSR layout (rows in order, columns sorted within a
 * row): weights[p] > 0 and X's value values[p] at (row of p, indices[p]).
 */
export interface WeightedEntries {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float64Array;
  values: Float64Array;
}

/** scikit-learn's MiniBatchNMF `_components_numerator` (A) and `_components_denominator` (B). */
export interface HAverages {
  A: DenseMatrix;
  B: DenseMatrix;
}

/** One multiplicative update: num / den with L1 added to den, L2·(the factor) added to den, then ^γ. */
export interface MuStep {
  l1: number;
  l2: number;
  /** exponent of the MM update: 1/(2−β) for β < 1, 1/(β−1) for β > 2, else 1 */
  gamma: number;
  /**
   * Set entries below float64's eps to 0 after the update (W for β < 1, H for β ≤ 1), as scikit-learn's
   * fit loops do. Default true; MiniBatchNMF's _solve_W does not.
   */
  clip?: boolean;
}

/** One HALS sweep over the k components in `order` (scikit-learn's permutation). */
export interface HalsStep {
  l1: number;
  l2: number;
  order: Int32Array;
}

/** A convergence scalar a solver reads at its checks. */
export type CheckScalar = 'reconstructionError' | 'lastViolation';

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
  /**
   * `what` for the current W, H, taken now and delivered with the next lastViolation() or
   * reconstructionError() of the same scalar (await it after calling that): the value scikit-learn
   * takes once at the start (mu's initial error, cd's first violation) then costs a GPU no readback
   * of its own. The plan decides how: the CPU computes it at once, WebGPU keeps it on the device.
   */
  snapshot(what: CheckScalar): Promise<number>;
  /** Current W and H (float64 on the CPU, float32 on GPU backends and for float32 X). */
  read(): Promise<{ W: DenseMatrix; H: DenseMatrix }>;
  /**
   * Optional (plans whose steps return before they run: GPU queues, gpu.js's worker pool): resolves
   * once every step called so far has run; rejects if the device is lost. The solver loop waits on it
   * so the host never runs far ahead of the device (src/solvers/loop.ts). Absent: steps run when called.
   */
  settle?(): Promise<void>;
  /** Where this plan runs, when it says more than its backend's description (e.g. 'cpu (float32)'). */
  readonly description?: string;
  /** Free everything the plan holds; safe to call twice. */
  destroy(): void;
  /** The extra steps MiniBatchNMF needs; absent on backends that cannot run it. */
  readonly minibatch?: MiniBatchSteps;
  /** The steps of solver 'pg' (scikit-learn 0.18's projected gradient); absent on backends that cannot run it. */
  readonly pg?: PgSteps;
}

/**
 * One non-negative least squares subproblem of 'pg': min_{F ≥ 0} ½‖V − A·F‖² + l1·ΣF + ½·l2·‖F‖²,
 * for F = H (A = W, V = X) or F = Wᵀ (A = Hᵀ, V = Xᵀ; the same problem on transposes). Only the Gram
 * matrix G = AᵀA (k × k) and the cross product C = AᵀV enter, so 0.18's sparseness stacking (extra
 * rows under A and zero rows under V) is a change of G alone: G ← G + gramDiag·I + gramAll·11ᵀ.
 */
export interface PgSubproblem {
  factor: 'W' | 'H';
  gramDiag: number;
  gramAll: number;
  l1: number;
  l2: number;
}

/** What one line-search trial reports, in one readback. */
export interface PgTrial {
  /** ‖P[∇]‖² of the gradient of the last gradient() call: Σ ∇² over entries where ∇ < 0 or F > 0 */
  projGradNormSq: number;
  /** ⟨∇, d⟩ and ⟨d, G·d⟩ (per vector of F) for the step d = F_trial − F: the two scalars of Armijo's test */
  gradd: number;
  dQd: number;
  /** F_trial equals the compared matrix (F or F_previous) entry for entry */
  unchanged: boolean;
}

/**
 * 'pg' steps (Lin 2007, as scikit-learn 0.18 runs it). A plan holds the gradients of both factors
 * (the outer stopping rule reads them), the current subproblem's G and C, and two scratch copies of
 * the factor being solved: F_trial (the line search's candidate) and F_previous (its last accepted
 * candidate while the step grows).
 */
export interface PgSteps {
  /** Make what the steps need (GPU buffers and pipelines); call once, before any other step */
  prepare(): Promise<void>;
  /** ∇W = W·HHᵀ − XHᵀ and ∇H = WᵀW·H − WᵀX at the current W, H (no penalty); returns ‖∇W‖² + ‖∇H‖² */
  initialGradients(): Promise<number>;
  /** ‖P[∇W]‖² + ‖P[∇H]‖² for the current W, H and the gradients last computed for each */
  projectedGradientNormSq(): Promise<number>;
  /** Start a subproblem: G and C from the other factor (H's products for W, W's for H), with its changes */
  begin(sub: PgSubproblem): void;
  /** ∇ ← G·F − C (+ l1 + l2·F where a penalty is set) for the current subproblem; also ‖P[∇]‖² */
  gradient(): void;
  /** F_trial ← max(F − γ·∇, 0); Armijo's scalars, and whether F_trial equals F or F_previous */
  trial(gamma: number, compare: 'current' | 'previous'): Promise<PgTrial>;
  /** F ← F_trial, or F ← F_previous */
  accept(which: 'trial' | 'previous'): void;
  /** F_previous ← F_trial */
  keepTrial(): void;
}

/** MiniBatchNMF's steps on one batch (scikit-learn's _minibatch_step, _solve_W, _minibatch_convergence). */
export interface MiniBatchSteps {
  /**
   * The online H step: with the usual numerator N and denominator D (regularized, guarded),
   * A ← ρA + N ⊙ H^(1/γ), B ← ρB + D, H ← (A / B)^γ, then H's clipping. Needs `averages`.
   */
  muUpdateHAveraged(step: MuStep, rho: number): void;
  /** W[W < eps] = 0 (float64's eps), as _minibatch_step does for β < 1 */
  clipW(): void;
  /** ‖W − W′‖_F / ‖W‖_F for W′ the W of the previous call (or of the start); then W′ ← W */
  wChange(): Promise<number>;
  /** ‖H − H₀‖_F / ‖H‖_F for H₀ the plan's starting H */
  hChange(): Promise<number>;
  /** Σ W, Σ W², Σ H, Σ H²: the regularization terms of the batch cost */
  factorSums(): Promise<{ sumW: number; sumW2: number; sumH: number; sumH2: number }>;
  /** The running averages after the plan's H steps */
  readAverages(): Promise<HAverages>;
}

export interface Backend {
  readonly name: 'cpu' | 'webgpu' | 'gpujs';
  /** Human-readable description of where it runs ("cpu (float64)", "webgpu: SwiftShader …"). */
  readonly description: string;
  /** Default convergence readback interval for 'cd' (CPU: 1, as scikit-learn; GPU: 10). */
  readonly defaultCheckEvery: number;
  /** What it can run, declared once; fits check it before a plan exists (capabilities.ts). */
  readonly supports: BackendSupports;
  createFit(problem: FitProblem): Promise<FitPlan>;
  /**
   * This backend with fits running the kernel plan `profile` picks (WebGPU: 'hardware' or 'software';
   * its description names the plan). Absent where there is one plan only.
   */
  withGpuProfile?(profile: GpuProfile): Backend;
  /** true: the adapter emulates a GPU on the CPU (backend 'auto' passes it over) */
  readonly software?: boolean;
  /** Release the backend (its device, if it owns it). */
  dispose(): void;
}
