// sparse.wgsl — products with CSR X (and its CSC transpose, built once on the host), touching only
// the stored entries, as scikit-learn does with scipy.sparse:
//   sampleWH:    wh[p] = Σ_r W[row_p, r]·H[r, col_p]  for every stored entry p (_special_sparse_dot)
//   csrTimesHt:  out[i, r] = Σ_{p in row i} v_p·H[r, col_p]                      (m×k: X·Hᵀ-like)
//   cscWtTimes:  out[r, j] (+)= Σ_{q in column j} W[row_q, r]·v_q                (k×n: Wᵀ·X-like)
// X comes in row blocks (each its own arrays, rows of X counted from the block's rowStart; the rows
// stored with each entry are X's): m×k outputs are written at the block's rows, k×n ones summed.
// where v is, by the VALUE override: 0 → X_p (plain X·Hᵀ, Wᵀ·X); 1 → X_p / WH_p (β = 1);
// 2 → X_p / WH_p² (β = 0); 3 → X_p·WH_p^(β−2): the multiplicative-update numerators.
// WH_p == 0 becomes EPSILON when β < 2 (no negative power of 0), as scikit-learn. For β < 2 the term
// is applied as (X·WH^(β−1)·H)·(1/WH), so tiny WH does not overflow float32 (see mu.wgsl).
// Weighted NMF (the stored entries are the observed ones): WEIGHTED multiplies v_p by weights[p], and
// DEN replaces v_p by the denominator term WH_p^(β−1) (1 for β = 1; WH == 0 → EPSILON for β < 1).
//
// The 'hardware' plan (real GPUs) keeps Hᵀ (n × k) beside H, so that each stored entry's k-vector of H
// is one contiguous read, and puts lanes over the components:
//   transposeH:  ht[j, r] = H[r, j]  (32 × 16 tiles through shared memory: both sides coalesced)
//   sampleWHt:   wh[p] = W[row_p, :]·Hᵀ[col_p, :]                         (vec4 loads when k % 4 == 0)
//   csrRowsHt:   out[i, r] = Σ_{p in row i} v_p·Hᵀ[col_p, r]     TEAM lanes per row, lane r (+ TEAM·slot)
//   cscColsW:    out[r, j] = Σ_{q in column j} W[row_q, r]·v_q   TEAM lanes per column, likewise

struct Params {
  m: u32,          // rows of this row block of X
  n: u32,
  k: u32,
  nnz: u32,        // stored entries of this block
  beta: f32,
  rowStart: u32,   // first row of the block in X (and in W, and in the m × k outputs)
  accumulate: u32, // the k × n outputs: add to them (row blocks after the first)
}

override VALUE: u32 = 0u;
override WEIGHTED: bool = false;
override DEN: bool = false;
const WG: u32 = 64u;

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
@group(0) @binding(15) var<storage, read> ht: array<f32>;       // Hᵀ, n × k
@group(0) @binding(16) var<storage, read_write> htOut: array<f32>;
@group(0) @binding(17) var<storage, read> w4: array<vec4f>;     // W and Hᵀ as vec4s (sampleWHt, k % 4 == 0)
@group(0) @binding(18) var<storage, read> ht4: array<vec4f>;

override TEAM: u32 = 32u;  // csrRowsHt, cscColsW: lanes per row (column), one component each
override SLOTS: u32 = 1u;  // components per lane: ⌈k / TEAM⌉ ≤ 4
override VEC4: bool = false;

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
  out[p.rowStart * p.k + q] = s;
}

/** One entry of a k × n output, added to what it holds for row blocks after the first. */
fn putColumn(idx: u32, s: f32) {
  out[idx] = select(s, s + out[idx], p.accumulate != 0u);
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
  putColumn(q, s);
}

const T_ROWS: u32 = 16u; // transposeH: a workgroup's tile of H, T_ROWS rows × T_COLS columns
const T_COLS: u32 = 32u;
var<workgroup> tileT: array<f32, T_ROWS * (T_COLS + 1u)>; // rows padded by one: the stores walk down columns

@compute @workgroup_size(WG)
fn transposeH(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
              @builtin(local_invocation_index) li: u32) {
  let id = workgroupIndex(wg, nwg);
  let tilesJ = (p.n + T_COLS - 1u) / T_COLS;
  let j0 = (id % tilesJ) * T_COLS;
  let r0 = (id / tilesJ) * T_ROWS;
  if (r0 >= p.k) { return; } // past the end of a folded grid (the whole workgroup)
  for (var e = li; e < T_ROWS * T_COLS; e += WG) {
    let jj = e % T_COLS;
    let rr = e / T_COLS;
    var v = 0.0;
    if (j0 + jj < p.n && r0 + rr < p.k) { v = h[(r0 + rr) * p.n + j0 + jj]; }
    tileT[rr * (T_COLS + 1u) + jj] = v;
  }
  workgroupBarrier();
  for (var e = li; e < T_ROWS * T_COLS; e += WG) {
    let rr = e % T_ROWS;
    let jj = e / T_ROWS;
    if (j0 + jj < p.n && r0 + rr < p.k) { htOut[(j0 + jj) * p.k + r0 + rr] = tileT[rr * (T_COLS + 1u) + jj]; }
  }
}

@compute @workgroup_size(WG)
fn sampleWHt(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
             @builtin(local_invocation_index) li: u32) {
  let q = linearId(wg, nwg, li);
  if (q >= p.nnz) { return; }
  let i = rowIdx[q];
  let j = colIdx[q];
  var s = 0.0;
  if (VEC4) {
    let kv = p.k / 4u;
    for (var c = 0u; c < kv; c++) { s += dot(w4[i * kv + c], ht4[j * kv + c]); }
  } else {
    for (var r = 0u; r < p.k; r++) { s = fma(w[i * p.k + r], ht[j * p.k + r], s); }
  }
  whOut[q] = s;
}

/** Σ over one row's or column's entries for the lane's components r, r + TEAM, …; acc[slot]. */
fn teamSlots(lane: u32) -> u32 { return min(SLOTS, (p.k + TEAM - 1u - lane) / TEAM); }

@compute @workgroup_size(WG)
fn csrRowsHt(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
             @builtin(local_invocation_index) li: u32) {
  let lane = li % TEAM;
  let i = workgroupIndex(wg, nwg) * (WG / TEAM) + li / TEAM;
  if (i >= p.m || lane >= p.k) { return; }
  let slots = teamSlots(lane);
  var acc = vec4f(0.0);
  for (var e = indptr[i]; e < indptr[i + 1u]; e++) {
    let v = value(data[e], whIn[e], e);
    let base = colIdx[e] * p.k + lane;
    acc.x = fma(v.x * ht[base], v.y, acc.x);
    if (slots > 1u) { acc.y = fma(v.x * ht[base + TEAM], v.y, acc.y); }
    if (slots > 2u) { acc.z = fma(v.x * ht[base + 2u * TEAM], v.y, acc.z); }
    if (slots > 3u) { acc.w = fma(v.x * ht[base + 3u * TEAM], v.y, acc.w); }
  }
  for (var slot = 0u; slot < slots; slot++) { out[(p.rowStart + i) * p.k + lane + slot * TEAM] = acc[slot]; }
}

@compute @workgroup_size(WG)
fn cscColsW(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
            @builtin(local_invocation_index) li: u32) {
  let lane = li % TEAM;
  let j = workgroupIndex(wg, nwg) * (WG / TEAM) + li / TEAM;
  if (j >= p.n || lane >= p.k) { return; }
  let slots = teamSlots(lane);
  var acc = vec4f(0.0);
  for (var e = cscPtr[j]; e < cscPtr[j + 1u]; e++) {
    let q = cscPerm[e];
    let v = value(cscData[e], whIn[q], q);
    let base = cscRow[e] * p.k + lane;
    acc.x = fma(w[base] * v.x, v.y, acc.x);
    if (slots > 1u) { acc.y = fma(w[base + TEAM] * v.x, v.y, acc.y); }
    if (slots > 2u) { acc.z = fma(w[base + 2u * TEAM] * v.x, v.y, acc.z); }
    if (slots > 3u) { acc.w = fma(w[base + 3u * TEAM] * v.x, v.y, acc.w); }
  }
  for (var slot = 0u; slot < slots; slot++) { putColumn((lane + slot * TEAM) * p.n + j, acc[slot]); }
}
