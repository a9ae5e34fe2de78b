// Numerical guards shared by every layer, named as scikit-learn names them.

/** scikit-learn's EPSILON: float32 machine epsilon, substituted where the math would divide by 0. */
export const EPSILON = 1.1920928955078125e-7;

/** float64 machine epsilon: MU zeroes entries below it after steps with β < 1 (W) and β ≤ 1 (H), for stability. */
export const FLOAT64_EPS = 2.220446049250313e-16;
