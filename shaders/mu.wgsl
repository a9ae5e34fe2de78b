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
const RM: u32 = 4u;
const RN: u32 = 4u;
override TILE_M: u32 = WG_M * RM;
override TILE_N: u32 = WG_N * RN;
const EPSILON: f32 = 1.1920928955078125e-7; // float32 eps, scikit-learn's EPSILON

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

// muProductsW: a1, a3 = numerator factors, a2 = denominator operand (TILE_K × TILE_M), b1 = Hᵀ tile.
// muProductsH: a1 = Wᵀ tile, b1, b3 = numerator factors, b2 = denominator operand (TILE_K × TILE_N).
var<workgroup> a1: array<f32, TILE_K * TILE_M>;
var<workgroup> a2: array<f32, TILE_K * TILE_M>;
var<workgroup> a3: array<f32, TILE_K * TILE_M>;
var<workgroup> b1: array<f32, TILE_K * TILE_N>;
var<workgroup> b2: array<f32, TILE_K * TILE_N>;
var<workgroup> b3: array<f32, TILE_K * TILE_N>;

/** v^e for v ≥ 0, with 0^e = 0 for e > 0 and 1 for e = 0 (WGSL's pow is undefined at 0). */
fn safePow(v: f32, e: f32) -> f32 {
  if (v == 0.0) { return select(0.0, 1.0, e == 0.0); }
  return pow(v, e);
}

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

@compute @workgroup_size(WG_N, WG_M)
fn muProductsW(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
               @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TILE_M;
  let col0 = wg.x * TILE_N; // components
  let threads = WG_M * WG_N;
  var accN: array<f32, RM * RN>;
  var accD: array<f32, RM * RN>;
  for (var j0 = 0u; j0 < p.n; j0 += TILE_K) {
    for (var e = li; e < TILE_K * TILE_M; e += threads) {
      let ii = e / TILE_K;
      let jj = e % TILE_K;
      let i = row0 + ii;
      let j = j0 + jj;
      var en = vec2f(0.0, 0.0);
      var ed = 0.0;
      if (i < p.rows && j < p.n) {
        let wh = whAt(p.rowStart + i, j);
        if (HAS_X) { en = numFactors(x[i * p.n + j], wh); }
        if (WANT_DEN) { ed = denTerm(wh); }
      }
      a1[jj * TILE_M + ii] = en.x;
      a3[jj * TILE_M + ii] = en.y;
      a2[jj * TILE_M + ii] = ed;
    }
    for (var e = li; e < TILE_K * TILE_N; e += threads) {
      let rr = e / TILE_K;
      let jj = e % TILE_K;
      var hv = 0.0;
      if (col0 + rr < p.k && j0 + jj < p.n) { hv = h[(col0 + rr) * p.n + j0 + jj]; }
      b1[jj * TILE_N + rr] = hv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      var an: array<f32, RM>;
      var aScale: array<f32, RM>;
      var ad: array<f32, RM>;
      var br: array<f32, RN>;
      for (var u = 0u; u < RM; u++) {
        an[u] = a1[kk * TILE_M + lid.y + u * WG_M];
        aScale[u] = a3[kk * TILE_M + lid.y + u * WG_M];
        ad[u] = a2[kk * TILE_M + lid.y + u * WG_M];
      }
      for (var v = 0u; v < RN; v++) { br[v] = b1[kk * TILE_N + lid.x + v * WG_N]; }
      for (var u = 0u; u < RM; u++) {
        for (var v = 0u; v < RN; v++) {
          accN[u * RN + v] = fma(an[u] * br[v], aScale[u], accN[u * RN + v]);
          accD[u * RN + v] = fma(ad[u], br[v], accD[u * RN + v]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var u = 0u; u < RM; u++) {
    let i = row0 + lid.y + u * WG_M;
    for (var v = 0u; v < RN; v++) {
      let r = col0 + lid.x + v * WG_N;
      if (i < p.rows && r < p.k) {
        let idx = (p.rowStart + i) * p.k + r;
        if (HAS_X) { num[idx] = accN[u * RN + v]; }
        if (WANT_DEN) { den[idx] = accD[u * RN + v]; }
      }
    }
  }
}

@compute @workgroup_size(WG_N, WG_M)
fn muProductsH(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
               @builtin(local_invocation_index) li: u32) {
  let r0 = wg.y * TILE_M;   // components
  let col0 = wg.x * TILE_N; // features
  let threads = WG_M * WG_N;
  var accN: array<f32, RM * RN>;
  var accD: array<f32, RM * RN>;
  for (var i0 = 0u; i0 < p.rows; i0 += TILE_K) {
    for (var e = li; e < TILE_K * TILE_M; e += threads) {
      let rr = e % TILE_M;
      let ii = e / TILE_M;
      var wv = 0.0;
      if (r0 + rr < p.k && i0 + ii < p.rows) { wv = w[(p.rowStart + i0 + ii) * p.k + r0 + rr]; }
      a1[ii * TILE_M + rr] = wv;
    }
    for (var e = li; e < TILE_K * TILE_N; e += threads) {
      let jj = e % TILE_N;
      let ii = e / TILE_N;
      let i = i0 + ii;
      let j = col0 + jj;
      var en = vec2f(0.0, 0.0);
      var ed = 0.0;
      if (i < p.rows && j < p.n) {
        let wh = whAt(p.rowStart + i, j);
        if (HAS_X) { en = numFactors(x[i * p.n + j], wh); }
        if (WANT_DEN) { ed = denTerm(wh); }
      }
      b1[ii * TILE_N + jj] = en.x;
      b3[ii * TILE_N + jj] = en.y;
      b2[ii * TILE_N + jj] = ed;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      var ar: array<f32, RM>;
      var bn: array<f32, RN>;
      var bScale: array<f32, RN>;
      var bd: array<f32, RN>;
      for (var u = 0u; u < RM; u++) { ar[u] = a1[kk * TILE_M + lid.y + u * WG_M]; }
      for (var v = 0u; v < RN; v++) {
        bn[v] = b1[kk * TILE_N + lid.x + v * WG_N];
        bScale[v] = b3[kk * TILE_N + lid.x + v * WG_N];
        bd[v] = b2[kk * TILE_N + lid.x + v * WG_N];
      }
      for (var u = 0u; u < RM; u++) {
        for (var v = 0u; v < RN; v++) {
          accN[u * RN + v] = fma(ar[u] * bn[v], bScale[v], accN[u * RN + v]);
          accD[u * RN + v] = fma(ar[u], bd[v], accD[u * RN + v]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var u = 0u; u < RM; u++) {
    let r = r0 + lid.y + u * WG_M;
    for (var v = 0u; v < RN; v++) {
      let j = col0 + lid.x + v * WG_N;
      if (r < p.k && j < p.n) {
        let idx = r * p.n + j;
        if (HAS_X) { num[idx] = accN[u * RN + v] + select(0.0, num[idx], p.accumulate != 0u); }
        if (WANT_DEN) { den[idx] = accD[u * RN + v] + select(0.0, den[idx], p.accumulate != 0u); }
      }
    }
  }
}

@compute @workgroup_size(256)
fn muApply(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
           @builtin(local_invocation_index) li: u32) {
  let q = (wg.y * nwg.x + wg.x) * 256u + li;
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
