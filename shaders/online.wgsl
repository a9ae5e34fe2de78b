// online.wgsl — MiniBatchNMF's kernels (scikit-learn's _minibatch_step, _solve_W, _minibatch_convergence):
//   averagedApply: the online H step. With the usual numerator N and denominator D of H's MU step
//     (D regularized, D == 0 → EPSILON), A ← ρ·A + N ⊙ H^(1/γ), B ← ρ·B + D, H ← (A / B)^γ, then
//     H < clip → 0 (float64's eps for β ≤ 1, as scikit-learn). A and B share one buffer (B after A),
//     so the host reads both back at once.
//   norms: per-workgroup partial sums over F (and P) of (F − P)², F², F; with COPY, P ← F as well
//     (_solve_W's ‖W − W_buffer‖ / ‖W‖, then W_buffer = W).
//   finish: out[outOffset + s] = Σ of the partials of slot s (s = 0, 1, 2), in one workgroup.
//   clipBelow: F < clip → 0 (W after a fresh-restart solve, β < 1).

struct Params {
  count: u32,        // entries of F
  n: u32,            // averagedApply, β = 1: component of entry q is q / n
  partials: u32,     // norms, finish: workgroups of norms (the stride between slots)
  outOffset: u32,    // finish
  l1: f32,
  l2: f32,
  gamma: f32,
  rho: f32,
  clip: f32,
}

override BETA_CLASS: u32 = 3u; // as mu.wgsl: 1 takes the denominator from W's column sums
override COPY: bool = false;

const WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> f: array<f32>;
@group(0) @binding(2) var<storage, read> numIn: array<f32>;
@group(0) @binding(3) var<storage, read> denIn: array<f32>;
@group(0) @binding(4) var<storage, read> sums: array<f32>;
@group(0) @binding(5) var<storage, read_write> ab: array<f32>; // A, then B, count entries each
@group(0) @binding(7) var<storage, read_write> prev: array<f32>;
@group(0) @binding(8) var<storage, read_write> partials: array<f32>;
@group(0) @binding(9) var<storage, read_write> out: array<f32>;

var<workgroup> red: array<vec3f, WG>;

/** Σ of `v` over the workgroup's threads (valid in thread 0). */
fn workgroupSum(v: vec3f, li: u32) -> vec3f {
  red[li] = v;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (li < stride) { red[li] += red[li + stride]; }
    workgroupBarrier();
  }
  return red[0];
}

@compute @workgroup_size(WG)
fn averagedApply(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                 @builtin(local_invocation_index) li: u32) {
  let q = linearId(wg, nwg, li);
  if (q >= p.count) { return; }
  let h = f[q];
  var d: f32;
  if (BETA_CLASS == 1u) {
    d = sums[q / p.n];
    if (d == 0.0) { d = 1.0; } // scikit-learn sets empty columns of W to a sum of 1
  } else {
    d = denIn[q];
  }
  if (p.l1 > 0.0) { d += p.l1; }
  if (p.l2 > 0.0) { d += p.l2 * h; }
  if (d == 0.0) { d = EPSILON; }
  let hPow = select(pow(h, 1.0 / p.gamma), h, p.gamma == 1.0);
  let aq = ab[q] * p.rho + numIn[q] * hPow;
  let bq = ab[p.count + q] * p.rho + d;
  ab[q] = aq;
  ab[p.count + q] = bq;
  var updated = aq / bq;
  if (p.gamma != 1.0) { updated = pow(updated, p.gamma); }
  if (updated < p.clip) { updated = 0.0; }
  f[q] = updated;
}

@compute @workgroup_size(WG)
fn norms(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
         @builtin(local_invocation_index) li: u32) {
  let w = workgroupIndex(wg, nwg);
  let q = w * WG + li;
  var s = vec3f(0.0);
  if (q < p.count) {
    let x = f[q];
    let d = x - prev[q];
    s = vec3f(d * d, x * x, x);
    if (COPY) { prev[q] = x; }
  }
  let total = workgroupSum(s, li);
  if (li == 0u) {
    partials[w] = total.x;
    partials[p.partials + w] = total.y;
    partials[2u * p.partials + w] = total.z;
  }
}

@compute @workgroup_size(WG)
fn finish(@builtin(local_invocation_index) li: u32) {
  var s = vec3f(0.0);
  for (var i = li; i < p.partials; i += WG) {
    s += vec3f(partials[i], partials[p.partials + i], partials[2u * p.partials + i]);
  }
  let total = workgroupSum(s, li);
  if (li == 0u) {
    out[p.outOffset] = total.x;
    out[p.outOffset + 1u] = total.y;
    out[p.outOffset + 2u] = total.z;
  }
}

@compute @workgroup_size(WG)
fn clipBelow(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
             @builtin(local_invocation_index) li: u32) {
  let q = linearId(wg, nwg, li);
  if (q >= p.count) { return; }
  if (f[q] < p.clip) { f[q] = 0.0; }
}
