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
const THREADS: u32 = WG * WG; // every entry point's invocations (divergenceSparse, divergenceWeighted: one per entry)

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> h: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<storage, read> wh: array<f32>;

// The R × R block of WH a thread owns (rows row0 + lid.y + u·WG, columns col0 + lid.x + v·WG) is held in
// four vec4f accumulators and unrolled: no function-scope array indexed in a loop (see gemm.wgsl).
var<workgroup> wTile: array<vec4f, TILE_K * WG>; // wTile[r·WG + ty][u] = W(row0 + ty + u·WG, r0 + r)
var<workgroup> hTile: array<vec4f, TILE_K * WG>; // hTile[r·WG + tx][v] = H(r0 + r, col0 + tx + v·WG)
var<workgroup> red: array<f32, THREADS>;

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

/** Sum `value` over the THREADS threads; thread 0 writes it as this workgroup's partial. */
fn writePartial(value: f32, li: u32, group: u32) {
  let sum = treeSum(value, li, THREADS);
  if (li == 0u) { partials[p.partialBase + group] = sum; }
}

fn wAt(i: u32, r: u32) -> f32 {
  if (i < p.rows && r < p.k) { return w[(p.rowStart + i) * p.k + r]; }
  return 0.0;
}

fn hAt(r: u32, j: u32) -> f32 {
  if (j < p.n && r < p.k) { return h[r * p.n + j]; }
  return 0.0;
}

fn termAt(i: u32, j: u32, whv: f32) -> f32 {
  if (i < p.rows && j < p.n) {
    var xv = 0.0;
    if (HAS_X) { xv = x[i * p.n + j]; }
    return denseTerm(xv, whv);
  }
  return 0.0;
}

fn rowTerms(i: u32, j: u32, acc: vec4f) -> f32 {
  var s = termAt(i, j, acc.x);
  s += termAt(i, j + WG, acc.y);
  s += termAt(i, j + 2u * WG, acc.z);
  s += termAt(i, j + 3u * WG, acc.w);
  return s;
}

@compute @workgroup_size(WG, WG)
fn divergenceDense(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                   @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var r0 = 0u; r0 < p.k; r0 += TILE_K) {
    for (var e = li; e < TILE_K * WG; e += WG * WG) {
      let rr = e % TILE_K;  // along k: W is row-major m×k
      let ty = e / TILE_K;
      let i = row0 + ty;
      wTile[rr * WG + ty] = vec4f(wAt(i, r0 + rr), wAt(i + WG, r0 + rr), wAt(i + 2u * WG, r0 + rr), wAt(i + 3u * WG, r0 + rr));
      let tx = e % WG;      // along n: H is row-major k×n
      let rh = e / WG;
      let j = col0 + tx;
      hTile[rh * WG + tx] = vec4f(hAt(r0 + rh, j), hAt(r0 + rh, j + WG), hAt(r0 + rh, j + 2u * WG), hAt(r0 + rh, j + 3u * WG));
    }
    workgroupBarrier();
    for (var rr = 0u; rr < TILE_K; rr++) {
      let av = wTile[rr * WG + lid.y];
      let bv = hTile[rr * WG + lid.x];
      acc0 = fma(vec4f(av.x), bv, acc0);
      acc1 = fma(vec4f(av.y), bv, acc1);
      acc2 = fma(vec4f(av.z), bv, acc2);
      acc3 = fma(vec4f(av.w), bv, acc3);
    }
    workgroupBarrier();
  }
  let i = row0 + lid.y;
  let j = col0 + lid.x;
  var s = rowTerms(i, j, acc0);
  s += rowTerms(i + WG, j, acc1);
  s += rowTerms(i + 2u * WG, j, acc2);
  s += rowTerms(i + 3u * WG, j, acc3);
  writePartial(s, li, workgroupIndex(wg, nwg));
}

@compute @workgroup_size(THREADS)
fn divergenceSparse(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                    @builtin(local_invocation_index) li: u32) {
  let group = workgroupIndex(wg, nwg);
  let q = group * THREADS + li;
  var s = 0.0;
  if (q < p.count) { s = sparseTerm(x[q], wh[q]); }
  writePartial(s, li, group);
}

// divergenceWeighted (weighted NMF: the stored entries are the observed ones, WH sampled there), per
// entry weights[q] times divergenceDense's term; the host finishes the sum as for dense X.
@group(0) @binding(6) var<storage, read> weights: array<f32>;

@compute @workgroup_size(THREADS)
fn divergenceWeighted(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
                      @builtin(local_invocation_index) li: u32) {
  let group = workgroupIndex(wg, nwg);
  let q = group * THREADS + li;
  var s = 0.0;
  if (q < p.count) {
    s = weights[q] * denseTerm(x[q], wh[q]);
  }
  writePartial(s, li, group);
}
