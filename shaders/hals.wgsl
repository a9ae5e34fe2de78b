// hals.wgsl — one Fast-HALS sweep (scikit-learn's _update_cdnmf_fast) of a factor F, rows in parallel.
//   For s = 0 … k−1, t = order[s], for every row i (one thread each):
//     grad = −(G(i,t) − l1) + Σ_r (M[t,r] + l2·[r = t])·F(i,r)
//     pg   = F(i,t) == 0 ? min(0, grad) : grad;   violation += |pg|
//     if M[t,t] + l2 ≠ 0:  F(i,t) = max(F(i,t) − grad / (M[t,t] + l2), 0)
//   W sweep: F = W (m×k), G = X·Hᵀ, M = H·Hᵀ.   H sweep: F = Hᵀ (rows = features), G = (WᵀX)ᵀ, M = WᵀW.
// Rows are independent given G and M, so sweeping each row's k coordinates in sklearn's component
// order gives sklearn's iterate; only the violation's summation order differs.
// Each workgroup writes its share of the violation to partials[partialBase + workgroup].

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
  let group = wg.y * nwg.x + wg.x;
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
  red[li] = violation;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (li < stride) { red[li] += red[li + stride]; }
    workgroupBarrier();
  }
  if (li == 0u) { partials[p.partialBase + group] = red[0]; }
}
