// divergence.wgsl — per-workgroup partial sums of scikit-learn's _beta_divergence (square_root=False).
// Entries with X ≤ EPSILON are left out of the data terms; WH == 0 there becomes EPSILON.
//   divergenceDense (WH recomputed tile by tile, gemm-style, never stored), summed per entry:
//     β = 2:  (X − WH)²                                          (host: S / 2)
//     β = 1:  WH + [X > ε](X·log(X/WH) − X)                      (host: S)
//     β = 0:  [X > ε](X/WH − 1 − log(X/WH)) − [X ≤ ε]            (host: S)
//     other:  (β−1)·WH^β + [X > ε](X^β − β·X·WH^(β−1))           (host: S / (β(β−1)))
//     Written per entry so the sum has no cancellation: each KL / IS / β entry is ≥ 0.
//     HAS_X = false (CSR X, other β): only (β−1)·WH^β, over every entry.
//   divergenceSparse, over the stored entries of CSR X with WH sampled there (sparse.wgsl):
//     β = 2:  (X − WH)² − WH²      (+ ‖WH‖² = ⟨WᵀW, HHᵀ⟩ from reduce.wgsl)
//     β = 1:  [X > ε](X·log(X/WH) − X)       (+ Σ WH = ⟨colsums W, rowsums H⟩)
//     β = 0:  [X > ε](X/WH − 1 − log(X/WH)) − [X ≤ ε]     (host: − (m·n − nnz))
//     other:  [X > ε](X^β − β·X·WH^(β−1))    (+ divergenceDense with HAS_X = false)
// Each workgroup writes one partial to partials[partialBase + workgroup]; reduce.wgsl sums them.

struct Params {
  rows: u32,
  n: u32,
  k: u32,
  rowStart: u32,
  count: u32,       // divergenceSparse: stored entries
  partialBase: u32,
  beta: f32,
}

override BETA_CLASS: u32 = 2u; // 0 Itakura-Saito, 1 Kullback-Leibler, 2 Frobenius, 3 other β
override HAS_X: bool = true;
override TILE_K: u32 = 8u;
const WG: u32 = 8u;            // 8 × 8 threads; each an R × R block of WH
const R: u32 = 4u;
const TILE: u32 = WG * R;
const EPSILON: f32 = 1.1920928955078125e-7;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> h: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<storage, read> wh: array<f32>;

var<workgroup> wTile: array<f32, TILE_K * TILE>; // wTile[r·TILE + ii] = W(row0 + ii, r0 + r)
var<workgroup> hTile: array<f32, TILE_K * TILE>; // hTile[r·TILE + jj] = H(r0 + r, col0 + jj)
var<workgroup> red: array<f32, 64>;

fn safePow(v: f32, e: f32) -> f32 {
  if (v == 0.0) { return select(0.0, 1.0, e == 0.0); }
  return pow(v, e);
}

/** The data term of one entry with X > EPSILON (β ≠ 2), WH already guarded. */
fn dataTerm(xv: f32, safe: f32) -> f32 {
  if (BETA_CLASS == 1u) { return xv * log(xv / safe) - xv; }
  if (BETA_CLASS == 0u) {
    let div = xv / safe;
    return div - 1.0 - log(div);
  }
  return safePow(xv, p.beta) - p.beta * xv * safePow(safe, p.beta - 1.0);
}

fn denseTerm(xv: f32, whv: f32) -> f32 {
  if (BETA_CLASS == 2u) {
    let d = xv - whv;
    return d * d;
  }
  var t = 0.0;
  if (BETA_CLASS == 1u) { t = whv; }
  if (BETA_CLASS == 3u) { t = (p.beta - 1.0) * safePow(whv, p.beta); }
  if (!HAS_X) { return t; }
  if (xv > EPSILON) { return t + dataTerm(xv, select(whv, EPSILON, whv == 0.0)); }
  return t - select(0.0, 1.0, BETA_CLASS == 0u);
}

fn sparseTerm(xv: f32, whv: f32) -> f32 {
  if (BETA_CLASS == 2u) {
    let d = xv - whv;
    return d * d - whv * whv;
  }
  if (xv > EPSILON) { return dataTerm(xv, select(whv, EPSILON, whv == 0.0)); }
  return -select(0.0, 1.0, BETA_CLASS == 0u);
}

/** Sum `value` over the 64 threads; thread 0 writes it as this workgroup's partial. */
fn writePartial(value: f32, li: u32, group: u32) {
  red[li] = value;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride /= 2u) {
    if (li < stride) { red[li] += red[li + stride]; }
    workgroupBarrier();
  }
  if (li == 0u) { partials[p.partialBase + group] = red[0]; }
}

@compute @workgroup_size(WG, WG)
fn divergenceDense(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                   @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  var acc: array<f32, R * R>;
  for (var r0 = 0u; r0 < p.k; r0 += TILE_K) {
    for (var e = li; e < TILE_K * TILE; e += WG * WG) {
      let rr = e % TILE_K;  // along k: W is row-major m×k
      let ii = e / TILE_K;
      var wv = 0.0;
      if (row0 + ii < p.rows && r0 + rr < p.k) { wv = w[(p.rowStart + row0 + ii) * p.k + r0 + rr]; }
      wTile[rr * TILE + ii] = wv;
      let jj = e % TILE;    // along n: H is row-major k×n
      let rh = e / TILE;
      var hv = 0.0;
      if (col0 + jj < p.n && r0 + rh < p.k) { hv = h[(r0 + rh) * p.n + col0 + jj]; }
      hTile[rh * TILE + jj] = hv;
    }
    workgroupBarrier();
    for (var rr = 0u; rr < TILE_K; rr++) {
      var a: array<f32, R>;
      var b: array<f32, R>;
      for (var u = 0u; u < R; u++) {
        a[u] = wTile[rr * TILE + lid.y + u * WG];
        b[u] = hTile[rr * TILE + lid.x + u * WG];
      }
      for (var u = 0u; u < R; u++) {
        for (var v = 0u; v < R; v++) { acc[u * R + v] = fma(a[u], b[v], acc[u * R + v]); }
      }
    }
    workgroupBarrier();
  }
  var s = 0.0;
  for (var u = 0u; u < R; u++) {
    let i = row0 + lid.y + u * WG;
    for (var v = 0u; v < R; v++) {
      let j = col0 + lid.x + v * WG;
      if (i < p.rows && j < p.n) {
        var xv = 0.0;
        if (HAS_X) { xv = x[i * p.n + j]; }
        s += denseTerm(xv, acc[u * R + v]);
      }
    }
  }
  writePartial(s, li, wg.y * nwg.x + wg.x);
}

@compute @workgroup_size(64)
fn divergenceSparse(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                    @builtin(local_invocation_index) li: u32) {
  let group = wg.y * nwg.x + wg.x;
  let q = group * 64u + li;
  var s = 0.0;
  if (q < p.count) { s = sparseTerm(x[q], wh[q]); }
  writePartial(s, li, group);
}
