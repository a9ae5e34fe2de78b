// sparse.wgsl — products with CSR X (and its CSC transpose, built once on the host), touching only
// the stored entries, as scikit-learn does with scipy.sparse:
//   sampleWH:    wh[p] = Σ_r W[row_p, r]·H[r, col_p]  for every stored entry p (_special_sparse_dot)
//   csrTimesHt:  out[i, r] = Σ_{p in row i} v_p·H[r, col_p]                      (m×k: X·Hᵀ-like)
//   cscWtTimes:  out[r, j] = Σ_{q in column j} W[row_q, r]·v_q                   (k×n: Wᵀ·X-like)
// where v is, by the VALUE override: 0 → X_p (plain X·Hᵀ, Wᵀ·X); 1 → X_p / WH_p (β = 1);
// 2 → X_p / WH_p² (β = 0); 3 → X_p·WH_p^(β−2): the multiplicative-update numerators.
// WH_p == 0 becomes EPSILON when β < 2 (no negative power of 0), as scikit-learn. For β < 2 the term
// is applied as (X·WH^(β−1)·H)·(1/WH), so tiny WH does not overflow float32 (see mu.wgsl).
// Weighted NMF (the stored entries are the observed ones): WEIGHTED multiplies v_p by weights[p], and
// DEN replaces v_p by the denominator term WH_p^(β−1) (1 for β = 1; WH == 0 → EPSILON for β < 1).

struct Params {
  m: u32,
  n: u32,
  k: u32,
  nnz: u32,
  beta: f32,
}

override VALUE: u32 = 0u;
override WEIGHTED: bool = false;
override DEN: bool = false;
const WG: u32 = 64u;
const EPSILON: f32 = 1.1920928955078125e-7;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> rowIdx: array<u32>;  // COO row of each stored entry
@group(0) @binding(2) var<storage, read> colIdx: array<u32>;  // CSR indices
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
@group(0) @binding(5) var<storage, read_write> whOut: array<f32>;
@group(0) @binding(6) var<storage, read> indptr: array<u32>;
@group(0) @binding(7) var<storage, read> data: array<f32>;
@group(0) @binding(8) var<storage, read> whIn: array<f32>;
@group(0) @binding(9) var<storage, read_write> out: array<f32>;
@group(0) @binding(10) var<storage, read> cscPtr: array<u32>;
@group(0) @binding(11) var<storage, read> cscRow: array<u32>;
@group(0) @binding(12) var<storage, read> cscData: array<f32>;
@group(0) @binding(13) var<storage, read> cscPerm: array<u32>; // CSR position of each CSC entry
@group(0) @binding(14) var<storage, read> weights: array<f32>;  // CSR order; bound to X's data when unweighted

fn linearId(wg: vec3u, nwg: vec3u, li: u32) -> u32 {
  return (wg.y * nwg.x + wg.x) * WG + li;
}

/** v_p as two factors (t, s), v_p = t·s, applied as (t·other)·s; weighted by entry `e` (CSR order). */
fn value(xv: f32, whv: f32, e: u32) -> vec2f {
  var v = termOf(xv, whv);
  if (WEIGHTED) { v.x *= weights[e]; }
  return v;
}

fn termOf(xv: f32, whv: f32) -> vec2f {
  if (DEN) {
    if (p.beta == 1.0) { return vec2f(1.0, 1.0); }
    if (p.beta == 2.0) { return vec2f(whv, 1.0); }
    let safeDen = select(whv, EPSILON, whv == 0.0 && p.beta < 1.0);
    if (p.beta == 0.0) { return vec2f(1.0, 1.0 / safeDen); }
    if (safeDen == 0.0) { return vec2f(0.0, 1.0); } // β > 1: 0^(β−1) = 0
    return vec2f(pow(safeDen, p.beta - 1.0), 1.0);
  }
  if (VALUE == 0u) { return vec2f(xv, 1.0); }
  let safe = select(whv, EPSILON, whv == 0.0);
  if (VALUE == 1u) { return vec2f(xv, 1.0 / safe); }
  if (VALUE == 2u) { return vec2f(xv / safe, 1.0 / safe); }
  if (p.beta < 2.0) { return vec2f(xv * pow(safe, p.beta - 1.0), 1.0 / safe); }
  if (whv == 0.0) { return vec2f(0.0, 1.0); } // β > 2: 0^(β−2) = 0
  return vec2f(xv * pow(whv, p.beta - 2.0), 1.0);
}

@compute @workgroup_size(WG)
fn sampleWH(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
            @builtin(local_invocation_index) li: u32) {
  let q = linearId(wg, nwg, li);
  if (q >= p.nnz) { return; }
  let i = rowIdx[q];
  let j = colIdx[q];
  var s = 0.0;
  for (var r = 0u; r < p.k; r++) { s = fma(w[i * p.k + r], h[r * p.n + j], s); }
  whOut[q] = s;
}

@compute @workgroup_size(WG)
fn csrTimesHt(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
              @builtin(local_invocation_index) li: u32) {
  let q = linearId(wg, nwg, li);
  if (q >= p.m * p.k) { return; }
  let i = q / p.k;
  let r = q % p.k;
  var s = 0.0;
  for (var e = indptr[i]; e < indptr[i + 1u]; e++) {
    let v = value(data[e], whIn[e], e);
    s = fma(v.x * h[r * p.n + colIdx[e]], v.y, s);
  }
  out[q] = s;
}

@compute @workgroup_size(WG)
fn cscWtTimes(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
              @builtin(local_invocation_index) li: u32) {
  let q = linearId(wg, nwg, li);
  if (q >= p.k * p.n) { return; }
  let r = q / p.n;
  let j = q % p.n;
  var s = 0.0;
  for (var e = cscPtr[j]; e < cscPtr[j + 1u]; e++) {
    let v = value(cscData[e], whIn[cscPerm[e]], cscPerm[e]);
    s = fma(w[cscRow[e] * p.k + r] * v.x, v.y, s);
  }
  out[q] = s;
}
