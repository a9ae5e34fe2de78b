// mu.wgsl — scikit-learn's multiplicative updates for β ≠ 2 on dense X, with WH recomputed tile by
// tile inside the products (never an m×n temporary), and the update itself.
//   muProductsW:  num[i,r] = Σ_j X_ij·(WH_ij)^(β−2)·H_rj        den[i,r] = Σ_j (WH_ij)^(β−1)·H_rj
//   muProductsH:  num[r,j] = Σ_i W_ir·X_ij·(WH_ij)^(β−2)         den[r,j] = Σ_i W_ir·(WH_ij)^(β−1)
//     β = 1: X/WH, and den comes from the sums of H's rows / W's columns instead;  β = 0: X/(WH)², 1/WH.
//     WH == 0 becomes EPSILON in the numerator when β < 2 and in den when β < 1 (no negative power of 0).
//     float32 range: for β < 2 the numerator term is taken as (X·WH^(β−1)·H_rj)·(1/WH), never forming
//     X·WH^(β−2) alone, which overflows float32 once W and H near scikit-learn's float64-eps clipping
//     make WH tiny (β = 0.5: WH < 1e-26); each factor and the product stay in range.
//   muApply:      F ← F ⊙ (num / (den + l1 + l2·F))^γ, den == 0 → EPSILON; then F < clip → 0
//     (clip is float64 eps after W steps with β < 1 and H steps with β ≤ 1, as scikit-learn; else 0).
// The products are gemm.wgsl's register tiling with one operand computed instead of loaded.

struct Params {
  rows: u32,          // rows of this block of X (and of W from rowStart)
  n: u32,
  k: u32,
  rowStart: u32,
  accumulate: u32,    // muProductsH: add to num/den (later row blocks)
  beta: f32,
  count: u32,         // muApply: entries of F
  sumDiv: u32,        // muApply, β = 1: component of entry q is (q / sumDiv) % k
  sumZeroToOne: u32,  // muApply, β = 1: scikit-learn sets empty columns of W to a sum of 1
  sumShift: f32,      // muApply, β = 1: L1 scikit-learn has added to its cached H row sums (H fixed)
  l1: f32,
  l2: f32,
  gamma: f32,
  clip: f32,
}

override BETA_CLASS: u32 = 3u; // 0 Itakura-Saito, 1 Kullback-Leibler, 2 Frobenius (muApply only), 3 other β
override HAS_X: bool = true;   // false for CSR X: the numerator comes from sparse.wgsl, only den here
override WANT_DEN: bool = BETA_CLASS != 1u;
override WG_M: u32 = 8u;
override WG_N: u32 = 8u;
override TILE_K: u32 = 8u;
// Fixed 4 × 4 register block, held in vec4f accumulators (one per row of the block) and unrolled, as
// in gemm.wgsl: no function-scope array indexed in a loop.
const RM: u32 = 4u;
const RN: u32 = 4u;
override TILE_M: u32 = WG_M * RM;
override TILE_N: u32 = WG_N * RN;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> h: array<f32>;
@group(0) @binding(4) var<storage, read_write> num: array<f32>;
@group(0) @binding(5) var<storage, read_write> den: array<f32>;
@group(0) @binding(6) var<storage, read_write> f: array<f32>;
@group(0) @binding(7) var<storage, read> numIn: array<f32>;
@group(0) @binding(8) var<storage, read> denIn: array<f32>;
@group(0) @binding(9) var<storage, read> sums: array<f32>;

// Tiles of vec4f, each written whole by one thread; component u (or v) is row ty + u·WG_M of the block
// (column tx + v·WG_N), the 4 × 4 block a thread owns.
// muProductsW: a1, a3 = numerator factors, a2 = denominator operand (a[kk·WG_M + ty]), b1 = Hᵀ tile (b[kk·WG_N + tx]).
// muProductsH: a1 = Wᵀ tile, b1, b3 = numerator factors, b2 = denominator operand.
var<workgroup> a1: array<vec4f, TILE_K * WG_M>;
var<workgroup> a2: array<vec4f, TILE_K * WG_M>;
var<workgroup> a3: array<vec4f, TILE_K * WG_M>;
var<workgroup> b1: array<vec4f, TILE_K * WG_N>;
var<workgroup> b2: array<vec4f, TILE_K * WG_N>;
var<workgroup> b3: array<vec4f, TILE_K * WG_N>;

/** v^e for v ≥ 0, with 0^e = 0 for e > 0 and 1 for e = 0 (WGSL's pow is undefined at 0). */
/** (WH)_ij for a row of W (global index) and a column of H. */
fn whAt(row: u32, j: u32) -> f32 {
  var s = 0.0;
  for (var r = 0u; r < p.k; r++) { s = fma(w[row * p.k + r], h[r * p.n + j], s); }
  return s;
}

/**
 * X_ij·(WH_ij)^(β−2) as two factors (t, s) with t·s equal to it: for β < 2, t = X·WH^(β−1) and
 * s = 1/WH (WH == 0 replaced by EPSILON); for β > 2, t = X·WH^(β−2) and s = 1.
 */
fn numFactors(xv: f32, wh: f32) -> vec2f {
  let safe = select(wh, EPSILON, wh == 0.0);
  if (BETA_CLASS == 1u) { return vec2f(xv, 1.0 / safe); }
  if (BETA_CLASS == 0u) { return vec2f(xv / safe, 1.0 / safe); }
  if (p.beta < 2.0) { return vec2f(xv * safePow(safe, p.beta - 1.0), 1.0 / safe); }
  return vec2f(xv * safePow(wh, p.beta - 2.0), 1.0);
}

/** (WH_ij)^(β−1), WH == 0 replaced by EPSILON when β < 1. */
fn denTerm(wh: f32) -> f32 {
  let safe = select(wh, EPSILON, wh == 0.0);
  if (BETA_CLASS == 0u) { return 1.0 / safe; }
  return safePow(select(wh, safe, p.beta < 1.0), p.beta - 1.0);
}

/** (numerator factor t, factor s, denominator term) of one entry of this block of X; zeros outside it. */
fn entry(i: u32, j: u32) -> vec3f {
  var en = vec2f(0.0, 0.0);
  var ed = 0.0;
  if (i < p.rows && j < p.n) {
    let wh = whAt(p.rowStart + i, j);
    if (HAS_X) { en = numFactors(x[i * p.n + j], wh); }
    if (WANT_DEN) { ed = denTerm(wh); }
  }
  return vec3f(en, ed);
}

fn storeW(i: u32, r: u32, n: f32, d: f32) {
  if (i < p.rows && r < p.k) {
    let idx = (p.rowStart + i) * p.k + r;
    if (HAS_X) { num[idx] = n; }
    if (WANT_DEN) { den[idx] = d; }
  }
}

fn storeRowW(i: u32, r: u32, n: vec4f, d: vec4f) {
  storeW(i, r, n.x, d.x);
  storeW(i, r + WG_N, n.y, d.y);
  storeW(i, r + 2u * WG_N, n.z, d.z);
  storeW(i, r + 3u * WG_N, n.w, d.w);
}

fn hAt(r: u32, j: u32) -> f32 {
  if (r < p.k && j < p.n) { return h[r * p.n + j]; }
  return 0.0;
}

@compute @workgroup_size(WG_N, WG_M)
fn muProductsW(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
               @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TILE_M;
  let col0 = wg.x * TILE_N; // components
  let threads = WG_M * WG_N;
  var accN0 = vec4f(0.0); var accN1 = vec4f(0.0); var accN2 = vec4f(0.0); var accN3 = vec4f(0.0);
  var accD0 = vec4f(0.0); var accD1 = vec4f(0.0); var accD2 = vec4f(0.0); var accD3 = vec4f(0.0);
  for (var j0 = 0u; j0 < p.n; j0 += TILE_K) {
    for (var e = li; e < TILE_K * WG_M; e += threads) {
      let ty = e / TILE_K;
      let jj = e % TILE_K; // consecutive threads: consecutive columns of X
      let i = row0 + ty;
      let j = j0 + jj;
      let e0 = entry(i, j);
      let e1 = entry(i + WG_M, j);
      let e2 = entry(i + 2u * WG_M, j);
      let e3 = entry(i + 3u * WG_M, j);
      a1[jj * WG_M + ty] = vec4f(e0.x, e1.x, e2.x, e3.x);
      a3[jj * WG_M + ty] = vec4f(e0.y, e1.y, e2.y, e3.y);
      a2[jj * WG_M + ty] = vec4f(e0.z, e1.z, e2.z, e3.z);
    }
    for (var e = li; e < TILE_K * WG_N; e += threads) {
      let tx = e / TILE_K;
      let jj = e % TILE_K;
      let r = col0 + tx;
      let j = j0 + jj;
      b1[jj * WG_N + tx] = vec4f(hAt(r, j), hAt(r + WG_N, j), hAt(r + 2u * WG_N, j), hAt(r + 3u * WG_N, j));
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      let an = a1[kk * WG_M + lid.y];
      let aScale = a3[kk * WG_M + lid.y];
      let ad = a2[kk * WG_M + lid.y];
      let br = b1[kk * WG_N + lid.x];
      accN0 = fma(vec4f(an.x) * br, vec4f(aScale.x), accN0);
      accN1 = fma(vec4f(an.y) * br, vec4f(aScale.y), accN1);
      accN2 = fma(vec4f(an.z) * br, vec4f(aScale.z), accN2);
      accN3 = fma(vec4f(an.w) * br, vec4f(aScale.w), accN3);
      accD0 = fma(vec4f(ad.x), br, accD0);
      accD1 = fma(vec4f(ad.y), br, accD1);
      accD2 = fma(vec4f(ad.z), br, accD2);
      accD3 = fma(vec4f(ad.w), br, accD3);
    }
    workgroupBarrier();
  }
  let i = row0 + lid.y;
  let r = col0 + lid.x;
  storeRowW(i, r, accN0, accD0);
  storeRowW(i + WG_M, r, accN1, accD1);
  storeRowW(i + 2u * WG_M, r, accN2, accD2);
  storeRowW(i + 3u * WG_M, r, accN3, accD3);
}

fn wAt(i: u32, r: u32) -> f32 {
  if (r < p.k && i < p.rows) { return w[(p.rowStart + i) * p.k + r]; }
  return 0.0;
}

fn storeH(r: u32, j: u32, n: f32, d: f32) {
  if (r < p.k && j < p.n) {
    let idx = r * p.n + j;
    if (HAS_X) { num[idx] = n + select(0.0, num[idx], p.accumulate != 0u); }
    if (WANT_DEN) { den[idx] = d + select(0.0, den[idx], p.accumulate != 0u); }
  }
}

fn storeRowH(r: u32, j: u32, n: vec4f, d: vec4f) {
  storeH(r, j, n.x, d.x);
  storeH(r, j + WG_N, n.y, d.y);
  storeH(r, j + 2u * WG_N, n.z, d.z);
  storeH(r, j + 3u * WG_N, n.w, d.w);
}

@compute @workgroup_size(WG_N, WG_M)
fn muProductsH(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
               @builtin(local_invocation_index) li: u32) {
  let r0 = wg.y * TILE_M;   // components
  let col0 = wg.x * TILE_N; // features
  let threads = WG_M * WG_N;
  var accN0 = vec4f(0.0); var accN1 = vec4f(0.0); var accN2 = vec4f(0.0); var accN3 = vec4f(0.0);
  var accD0 = vec4f(0.0); var accD1 = vec4f(0.0); var accD2 = vec4f(0.0); var accD3 = vec4f(0.0);
  for (var i0 = 0u; i0 < p.rows; i0 += TILE_K) {
    for (var e = li; e < TILE_K * WG_M; e += threads) {
      let ty = e % WG_M;
      let ii = e / WG_M;
      let r = r0 + ty;
      let i = i0 + ii;
      a1[ii * WG_M + ty] = vec4f(wAt(i, r), wAt(i, r + WG_M), wAt(i, r + 2u * WG_M), wAt(i, r + 3u * WG_M));
    }
    for (var e = li; e < TILE_K * WG_N; e += threads) {
      let tx = e % WG_N; // consecutive threads: consecutive columns of X
      let ii = e / WG_N;
      let i = i0 + ii;
      let j = col0 + tx;
      let e0 = entry(i, j);
      let e1 = entry(i, j + WG_N);
      let e2 = entry(i, j + 2u * WG_N);
      let e3 = entry(i, j + 3u * WG_N);
      b1[ii * WG_N + tx] = vec4f(e0.x, e1.x, e2.x, e3.x);
      b3[ii * WG_N + tx] = vec4f(e0.y, e1.y, e2.y, e3.y);
      b2[ii * WG_N + tx] = vec4f(e0.z, e1.z, e2.z, e3.z);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      let ar = a1[kk * WG_M + lid.y];
      let bn = b1[kk * WG_N + lid.x];
      let bScale = b3[kk * WG_N + lid.x];
      let bd = b2[kk * WG_N + lid.x];
      accN0 = fma(vec4f(ar.x) * bn, bScale, accN0);
      accN1 = fma(vec4f(ar.y) * bn, bScale, accN1);
      accN2 = fma(vec4f(ar.z) * bn, bScale, accN2);
      accN3 = fma(vec4f(ar.w) * bn, bScale, accN3);
      accD0 = fma(vec4f(ar.x), bd, accD0);
      accD1 = fma(vec4f(ar.y), bd, accD1);
      accD2 = fma(vec4f(ar.z), bd, accD2);
      accD3 = fma(vec4f(ar.w), bd, accD3);
    }
    workgroupBarrier();
  }
  let r = r0 + lid.y;
  let j = col0 + lid.x;
  storeRowH(r, j, accN0, accD0);
  storeRowH(r + WG_M, j, accN1, accD1);
  storeRowH(r + 2u * WG_M, j, accN2, accD2);
  storeRowH(r + 3u * WG_M, j, accN3, accD3);
}

const APPLY_WG: u32 = 256u;

@compute @workgroup_size(APPLY_WG)
fn muApply(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
           @builtin(local_invocation_index) li: u32) {
  let q = workgroupIndex(wg, nwg) * APPLY_WG + li;
  if (q >= p.count) { return; }
  let fq = f[q];
  var d: f32;
  if (BETA_CLASS == 1u) {
    d = sums[(q / p.sumDiv) % p.k];
    if (p.sumZeroToOne != 0u && d == 0.0) { d = 1.0; }
    d += p.sumShift;
  } else {
    d = denIn[q];
  }
  if (p.l1 > 0.0) { d += p.l1; }
  if (p.l2 > 0.0) { d += p.l2 * fq; }
  if (d == 0.0) { d = EPSILON; }
  var delta = numIn[q] / d;
  if (p.gamma != 1.0) { delta = safePow(delta, p.gamma); }
  // A zero stays zero, as in float64 (0·delta), even where float32's delta overflowed.
  var updated = select(fq * delta, 0.0, fq == 0.0);
  if (updated < p.clip) { updated = 0.0; }
  f[q] = updated;
}
