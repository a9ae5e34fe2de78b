// prelude.wgsl — what several shaders share. Not a shader of its own: scripts/build-shaders.mjs puts
// in front of each shader the declarations below that it names (and those they name), so its line
// numbers start after them.

/** scikit-learn's EPSILON, float32 machine epsilon (src/numerics.ts): what WH == 0 becomes where the math divides by it. */
const EPSILON: f32 = 1.1920928955078125e-7;

/** v^e with 0^0 = 1 and 0^e = 0 (WGSL's pow(0, e) is undefined). */
fn safePow(v: f32, e: f32) -> f32 {
  if (v == 0.0) { return select(0.0, 1.0, e == 0.0); }
  return pow(v, e);
}

/** The workgroup's index in a grid that dispatch.ts's linearGrid may have folded into x·y. */
fn workgroupIndex(wg: vec3u, nwg: vec3u) -> u32 {
  return wg.y * nwg.x + wg.x;
}

/** The invocation's index in a 1-D dispatch of the shader's own WG invocations per workgroup. */
fn linearId(wg: vec3u, nwg: vec3u, li: u32) -> u32 {
  return workgroupIndex(wg, nwg) * WG + li;
}

/**
 * Σ of `value` over each run of `lanes` invocations (a power of two dividing the workgroup), summed
 * pairwise in the shader's own `var<workgroup> red: array<f32, …>` (one entry per invocation); the
 * run's sum is what its first lane gets back. Every invocation calls it, with the same `lanes`
 * (it has barriers).
 */
fn treeSum(value: f32, li: u32, lanes: u32) -> f32 {
  red[li] = value;
  workgroupBarrier();
  for (var stride = lanes / 2u; stride > 0u; stride /= 2u) {
    if ((li & (lanes - 1u)) < stride) { red[li] += red[li + stride]; }
    workgroupBarrier();
  }
  return red[li];
}
