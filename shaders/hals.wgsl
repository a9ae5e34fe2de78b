// hals.wgsl — one Fast-HALS sweep (scikit-learn's _update_cdnmf_fast) of a factor F, rows in parallel.
//   For s = 0 … k−1, t = order[s], for every row i (one thread each):
//     grad = −(G(i,t) − l1) + Σ_r (M[t,r] + l2·[r = t])·F(i,r)
//     pg   = F(i,t) == 0 ? min(0, grad) : grad;   violation += |pg|
//     if M[t,t] + l2 ≠ 0:  F(i,t) = max(F(i,t) − grad / (M[t,t] + l2), 0)
//   W sweep: F = W (m×k), G = X·Hᵀ, M = H·Hᵀ.   H sweep: F = Hᵀ (rows = features), G = (WᵀX)ᵀ, M = WᵀW.
// Rows are independent given G and M, so sweeping each row's k coordinates in sklearn's component
// order gives sklearn's iterate; only the violation's summation order differs.
// Each workgroup writes its share of the violation to partials[partialBase + workgroup].
//   main (the 'software' plan): one invocation per row, 64 rows a workgroup.
//   sweepTeam (the 'hardware' plan): TEAM invocations per row share each row's Σ_r over components
//     (64 / TEAM rows a workgroup), the rows staged in shared memory, so a sweep of n columns of H
//     launches n·TEAM / 64 workgroups of 64; lane 0 of each team updates its row's coordinate.

struct Params {
  rows: u32,
  k: u32,
  fRowStride: u32,
  fCompStride: u32,
  gRowStride: u32,
  gCompStride: u32,
  partialBase: u32,
  l1: f32,
  l2: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> f: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> m: array<f32>;
@group(0) @binding(4) var<storage, read> order: array<u32>;
@group(0) @binding(5) var<storage, read_write> partials: array<f32>;

const WG: u32 = 64u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let group = workgroupIndex(wg, nwg);
  let i = group * WG + li;
  var violation = 0.0;
  if (i < p.rows) {
    let fRow = i * p.fRowStride;
    for (var s = 0u; s < p.k; s++) {
      let t = order[s];
      var grad = -(g[i * p.gRowStride + t * p.gCompStride] - p.l1);
      for (var r = 0u; r < p.k; r++) { grad = fma(m[t * p.k + r], f[fRow + r * p.fCompStride], grad); }
      let ft = fRow + t * p.fCompStride;
      let ftv = f[ft];
      grad += p.l2 * ftv;
      violation += abs(select(grad, min(0.0, grad), ftv == 0.0));
      let hess = m[t * p.k + t] + p.l2;
      if (hess != 0.0) { f[ft] = max(ftv - grad / hess, 0.0); }
    }
  }
  let sum = treeSum(violation, li, WG);
  if (li == 0u) { partials[p.partialBase + group] = sum; }
}

override TEAM: u32 = 8u;  // sweepTeam: lanes per row
override KCAP: u32 = 32u; // sweepTeam: k ≤ KCAP
override TEAM_ROWS: u32 = WG / TEAM;
override FS: u32 = KCAP + 1u; // row stride in shared memory (padded: teams read the same component)
var<workgroup> rowsF: array<f32, TEAM_ROWS * FS>;

/** rowsF ↔ F for this workgroup's rows, lanes along F's contiguous dimension. */
fn stage(i0: u32, li: u32, toShared: bool) {
  let rowMajor = p.fCompStride == 1u;
  for (var e = li; e < TEAM_ROWS * p.k; e += WG) {
    var v: u32;
    var r: u32;
    if (rowMajor) { v = e / p.k; r = e % p.k; } else { r = e / TEAM_ROWS; v = e % TEAM_ROWS; }
    if (i0 + v < p.rows) {
      let q = (i0 + v) * p.fRowStride + r * p.fCompStride;
      if (toShared) { rowsF[v * FS + r] = f[q]; } else { f[q] = rowsF[v * FS + r]; }
    }
  }
}

@compute @workgroup_size(WG)
fn sweepTeam(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
             @builtin(local_invocation_index) li: u32) {
  let group = workgroupIndex(wg, nwg);
  let local = li / TEAM;
  let lane = li % TEAM;
  let i0 = group * TEAM_ROWS;
  let i = i0 + local;
  stage(i0, li, true);
  workgroupBarrier();
  var violation = 0.0;
  for (var s = 0u; s < p.k; s++) {
    let t = order[s];
    var part = 0.0;
    for (var r = lane; r < p.k; r += TEAM) { part = fma(m[t * p.k + r], rowsF[local * FS + r], part); }
    let rowDot = treeSum(part, li, TEAM);
    if (lane == 0u && i < p.rows) {
      let ftv = rowsF[local * FS + t];
      var grad = -(g[i * p.gRowStride + t * p.gCompStride] - p.l1) + rowDot;
      grad += p.l2 * ftv;
      violation += abs(select(grad, min(0.0, grad), ftv == 0.0));
      let hess = m[t * p.k + t] + p.l2;
      if (hess != 0.0) { rowsF[local * FS + t] = max(ftv - grad / hess, 0.0); }
    }
    workgroupBarrier();
  }
  stage(i0, li, false);
  let sum = treeSum(violation, li, WG);
  if (li == 0u) { partials[p.partialBase + group] = sum; }
}
