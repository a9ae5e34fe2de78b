// prelude.wgsl — what several shaders share. Not a shader of its own: scripts/build-shaders.mjs puts it
// in front of every shader that names one of its declarations (so their line numbers start after it).

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
