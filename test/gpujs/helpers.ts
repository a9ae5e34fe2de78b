// Helpers of the gpujs FitPlan-level tests (the problems are shared with the WebGPU suite).

export { makeProblem, randomArray, toCsr, type ProblemSpec } from '../support/problems.js';

/** ‖a − b‖_F / ‖b‖_F */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, r = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    r += b[i] ** 2;
  }
  return Math.sqrt(d / r);
}

/** γ of the MU step for β (scikit-learn's _gamma) */
export function gammaOf(beta: number): number {
  return beta < 1 ? 1 / (2 - beta) : beta > 2 ? 1 / (beta - 1) : 1;
}
