// Generated from shaders/templates/skinny.wgsl by scripts/generate.mjs (npm run build:generated). Do not edit.
// skinny.wgsl — the products with X when k ≤ 32 on one side and rows of X are a multiple of 4 floats.
// X·Hᵀ and Wᵀ·X (NMF's two products with X) read X from storage once, not once per 4 or 8 of the k
// outputs as gemm.wgsl would: an invocation covers ALL k outputs of its rows of X (skinnyNT) or of its
// columns (skinnyTN), and loads X in vec4s along its rows (on SwiftShader a vec4 load costs about what
// a float does). The k accumulators are named and unrolled up to 32; KC (= k) is an override, so the
// ones past k are dead code. With DIVIDE the X operand is X ⊘ (WH), WH == 0 → EPSILON, formed in
// registers from the other factor: Kullback-Leibler's numerators in one pass over X, no scratch.
//   skinnyNT (X·Hᵀ): C[i, r] = Σ_p X(i, p)·H[r, p], NT_ROWS (8, or 4 with DIVIDE) rows i per invocation
//             X = xv from aOffset (row stride LDA = K);  H = hv from bOffset (row stride LDB);
//             DIVIDE: X(i, p) = X[i, p] / Σ_r W[i, r]·H[r, p], W = w from xOffset (row stride KC)
//   skinnyTN (Wᵀ·X): C[r, j] (+)= Σ_i W[i, r]·X(i, j), TN_COLS (8) columns j per invocation
//             W = w from aOffset (row stride LDA = KC; wv when KC % 4 == 0);  X = xv (row stride LDB);
//             DIVIDE: X(i, j) = X[i, j] / Σ_r W[i, r]·H[r, j], H = hv (k × N, row stride LDC)
// Edit shaders/templates/skinny.wgsl, whose {{name}} lines scripts/gen-skinny.mjs fills with the
// unrolled per-k lines, then run npm run build:generated.

struct Params {
  aOffset: u32,
  bOffset: u32,
  cOffset: u32,
  xOffset: u32,    // skinnyNT: offset of its rows in W
  accumulate: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@group(0) @binding(2) var<storage, read> xv: array<vec4f>; // X, in vec4s along its rows
@group(0) @binding(3) var<storage, read> hv: array<vec4f>; // H, in vec4s along its rows
@group(0) @binding(4) var<storage, read> w: array<f32>;    // W
@group(0) @binding(5) var<storage, read> wv: array<vec4f>; // W, in vec4s (skinnyTN, KC % 4 == 0)

override M: u32;
override N: u32;
override K: u32;
override LDA: u32;
override LDB: u32;
override LDC: u32;
override KC: u32 = 1u;
override DIVIDE: bool = false;
override SWG: u32 = 64u;
override TN_COLS: u32 = 8u; // skinnyTN: columns per invocation, 4 or 8
override NT_ROWS: u32 = 8u; // skinnyNT: rows per invocation, 4 or 8 (8 not with DIVIDE)

fn guarded(wh: vec4f) -> vec4f { return select(wh, vec4f(EPSILON), wh == vec4f(0.0)); }

fn storeC(idx: u32, v: f32) {
  var value = v;
  if (p.accumulate != 0u) { value += c[idx]; }
  c[idx] = value;
}

@compute @workgroup_size(SWG)
fn skinnyNT(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i0 = (workgroupIndex(wg, nwg) * SWG + li) * NT_ROWS;
  if (i0 >= M) { return; }
  let rows = min(vec4u(i0, i0 + 1u, i0 + 2u, i0 + 3u), vec4u(M - 1u));
  let more = min(vec4u(i0 + 4u, i0 + 5u, i0 + 6u, i0 + 7u), vec4u(M - 1u));
  let x0 = (p.aOffset + rows.x * LDA) / 4u;
  let x1 = (p.aOffset + rows.y * LDA) / 4u;
  let x2 = (p.aOffset + rows.z * LDA) / 4u;
  let x3 = (p.aOffset + rows.w * LDA) / 4u;
  let x4 = (p.aOffset + more.x * LDA) / 4u;
  let x5 = (p.aOffset + more.y * LDA) / 4u;
  let x6 = (p.aOffset + more.z * LDA) / 4u;
  let x7 = (p.aOffset + more.w * LDA) / 4u;
  let hb = p.bOffset / 4u;
  let ws = p.xOffset + rows * KC;
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  var c4 = vec4f(0.0);
  var c5 = vec4f(0.0);
  var c6 = vec4f(0.0);
  var c7 = vec4f(0.0);
  var c8 = vec4f(0.0);
  var c9 = vec4f(0.0);
  var c10 = vec4f(0.0);
  var c11 = vec4f(0.0);
  var c12 = vec4f(0.0);
  var c13 = vec4f(0.0);
  var c14 = vec4f(0.0);
  var c15 = vec4f(0.0);
  var c16 = vec4f(0.0);
  var c17 = vec4f(0.0);
  var c18 = vec4f(0.0);
  var c19 = vec4f(0.0);
  var c20 = vec4f(0.0);
  var c21 = vec4f(0.0);
  var c22 = vec4f(0.0);
  var c23 = vec4f(0.0);
  var c24 = vec4f(0.0);
  var c25 = vec4f(0.0);
  var c26 = vec4f(0.0);
  var c27 = vec4f(0.0);
  var c28 = vec4f(0.0);
  var c29 = vec4f(0.0);
  var c30 = vec4f(0.0);
  var c31 = vec4f(0.0);
  var d0 = vec4f(0.0);
  var d1 = vec4f(0.0);
  var d2 = vec4f(0.0);
  var d3 = vec4f(0.0);
  var d4 = vec4f(0.0);
  var d5 = vec4f(0.0);
  var d6 = vec4f(0.0);
  var d7 = vec4f(0.0);
  var d8 = vec4f(0.0);
  var d9 = vec4f(0.0);
  var d10 = vec4f(0.0);
  var d11 = vec4f(0.0);
  var d12 = vec4f(0.0);
  var d13 = vec4f(0.0);
  var d14 = vec4f(0.0);
  var d15 = vec4f(0.0);
  var d16 = vec4f(0.0);
  var d17 = vec4f(0.0);
  var d18 = vec4f(0.0);
  var d19 = vec4f(0.0);
  var d20 = vec4f(0.0);
  var d21 = vec4f(0.0);
  var d22 = vec4f(0.0);
  var d23 = vec4f(0.0);
  var d24 = vec4f(0.0);
  var d25 = vec4f(0.0);
  var d26 = vec4f(0.0);
  var d27 = vec4f(0.0);
  var d28 = vec4f(0.0);
  var d29 = vec4f(0.0);
  var d30 = vec4f(0.0);
  var d31 = vec4f(0.0);
  var w0 = vec4f(0.0);
  var w1 = vec4f(0.0);
  var w2 = vec4f(0.0);
  var w3 = vec4f(0.0);
  var w4 = vec4f(0.0);
  var w5 = vec4f(0.0);
  var w6 = vec4f(0.0);
  var w7 = vec4f(0.0);
  var w8 = vec4f(0.0);
  var w9 = vec4f(0.0);
  var w10 = vec4f(0.0);
  var w11 = vec4f(0.0);
  var w12 = vec4f(0.0);
  var w13 = vec4f(0.0);
  var w14 = vec4f(0.0);
  var w15 = vec4f(0.0);
  var w16 = vec4f(0.0);
  var w17 = vec4f(0.0);
  var w18 = vec4f(0.0);
  var w19 = vec4f(0.0);
  var w20 = vec4f(0.0);
  var w21 = vec4f(0.0);
  var w22 = vec4f(0.0);
  var w23 = vec4f(0.0);
  var w24 = vec4f(0.0);
  var w25 = vec4f(0.0);
  var w26 = vec4f(0.0);
  var w27 = vec4f(0.0);
  var w28 = vec4f(0.0);
  var w29 = vec4f(0.0);
  var w30 = vec4f(0.0);
  var w31 = vec4f(0.0);
  if (DIVIDE) {
    if (KC > 0u) { w0 = vec4f(w[ws.x + 0u], w[ws.y + 0u], w[ws.z + 0u], w[ws.w + 0u]); }
    if (KC > 1u) { w1 = vec4f(w[ws.x + 1u], w[ws.y + 1u], w[ws.z + 1u], w[ws.w + 1u]); }
    if (KC > 2u) { w2 = vec4f(w[ws.x + 2u], w[ws.y + 2u], w[ws.z + 2u], w[ws.w + 2u]); }
    if (KC > 3u) { w3 = vec4f(w[ws.x + 3u], w[ws.y + 3u], w[ws.z + 3u], w[ws.w + 3u]); }
    if (KC > 4u) { w4 = vec4f(w[ws.x + 4u], w[ws.y + 4u], w[ws.z + 4u], w[ws.w + 4u]); }
    if (KC > 5u) { w5 = vec4f(w[ws.x + 5u], w[ws.y + 5u], w[ws.z + 5u], w[ws.w + 5u]); }
    if (KC > 6u) { w6 = vec4f(w[ws.x + 6u], w[ws.y + 6u], w[ws.z + 6u], w[ws.w + 6u]); }
    if (KC > 7u) { w7 = vec4f(w[ws.x + 7u], w[ws.y + 7u], w[ws.z + 7u], w[ws.w + 7u]); }
    if (KC > 8u) { w8 = vec4f(w[ws.x + 8u], w[ws.y + 8u], w[ws.z + 8u], w[ws.w + 8u]); }
    if (KC > 9u) { w9 = vec4f(w[ws.x + 9u], w[ws.y + 9u], w[ws.z + 9u], w[ws.w + 9u]); }
    if (KC > 10u) { w10 = vec4f(w[ws.x + 10u], w[ws.y + 10u], w[ws.z + 10u], w[ws.w + 10u]); }
    if (KC > 11u) { w11 = vec4f(w[ws.x + 11u], w[ws.y + 11u], w[ws.z + 11u], w[ws.w + 11u]); }
    if (KC > 12u) { w12 = vec4f(w[ws.x + 12u], w[ws.y + 12u], w[ws.z + 12u], w[ws.w + 12u]); }
    if (KC > 13u) { w13 = vec4f(w[ws.x + 13u], w[ws.y + 13u], w[ws.z + 13u], w[ws.w + 13u]); }
    if (KC > 14u) { w14 = vec4f(w[ws.x + 14u], w[ws.y + 14u], w[ws.z + 14u], w[ws.w + 14u]); }
    if (KC > 15u) { w15 = vec4f(w[ws.x + 15u], w[ws.y + 15u], w[ws.z + 15u], w[ws.w + 15u]); }
    if (KC > 16u) { w16 = vec4f(w[ws.x + 16u], w[ws.y + 16u], w[ws.z + 16u], w[ws.w + 16u]); }
    if (KC > 17u) { w17 = vec4f(w[ws.x + 17u], w[ws.y + 17u], w[ws.z + 17u], w[ws.w + 17u]); }
    if (KC > 18u) { w18 = vec4f(w[ws.x + 18u], w[ws.y + 18u], w[ws.z + 18u], w[ws.w + 18u]); }
    if (KC > 19u) { w19 = vec4f(w[ws.x + 19u], w[ws.y + 19u], w[ws.z + 19u], w[ws.w + 19u]); }
    if (KC > 20u) { w20 = vec4f(w[ws.x + 20u], w[ws.y + 20u], w[ws.z + 20u], w[ws.w + 20u]); }
    if (KC > 21u) { w21 = vec4f(w[ws.x + 21u], w[ws.y + 21u], w[ws.z + 21u], w[ws.w + 21u]); }
    if (KC > 22u) { w22 = vec4f(w[ws.x + 22u], w[ws.y + 22u], w[ws.z + 22u], w[ws.w + 22u]); }
    if (KC > 23u) { w23 = vec4f(w[ws.x + 23u], w[ws.y + 23u], w[ws.z + 23u], w[ws.w + 23u]); }
    if (KC > 24u) { w24 = vec4f(w[ws.x + 24u], w[ws.y + 24u], w[ws.z + 24u], w[ws.w + 24u]); }
    if (KC > 25u) { w25 = vec4f(w[ws.x + 25u], w[ws.y + 25u], w[ws.z + 25u], w[ws.w + 25u]); }
    if (KC > 26u) { w26 = vec4f(w[ws.x + 26u], w[ws.y + 26u], w[ws.z + 26u], w[ws.w + 26u]); }
    if (KC > 27u) { w27 = vec4f(w[ws.x + 27u], w[ws.y + 27u], w[ws.z + 27u], w[ws.w + 27u]); }
    if (KC > 28u) { w28 = vec4f(w[ws.x + 28u], w[ws.y + 28u], w[ws.z + 28u], w[ws.w + 28u]); }
    if (KC > 29u) { w29 = vec4f(w[ws.x + 29u], w[ws.y + 29u], w[ws.z + 29u], w[ws.w + 29u]); }
    if (KC > 30u) { w30 = vec4f(w[ws.x + 30u], w[ws.y + 30u], w[ws.z + 30u], w[ws.w + 30u]); }
    if (KC > 31u) { w31 = vec4f(w[ws.x + 31u], w[ws.y + 31u], w[ws.z + 31u], w[ws.w + 31u]); }
  }
  for (var q = 0u; q < K / 4u; q++) {
    var v0 = xv[x0 + q];
    var v1 = xv[x1 + q];
    var v2 = xv[x2 + q];
    var v3 = xv[x3 + q];
    var v4 = vec4f(0.0);
    var v5 = vec4f(0.0);
    var v6 = vec4f(0.0);
    var v7 = vec4f(0.0);
    if (NT_ROWS == 8u) {
      v4 = xv[x4 + q];
      v5 = xv[x5 + q];
      v6 = xv[x6 + q];
      v7 = xv[x7 + q];
    }
    if (DIVIDE) {
      var s0 = vec4f(0.0);
      var s1 = vec4f(0.0);
      var s2 = vec4f(0.0);
      var s3 = vec4f(0.0);
      if (KC > 0u) { let h = hv[hb + 0u * (LDB / 4u) + q]; s0 += w0.x * h; s1 += w0.y * h; s2 += w0.z * h; s3 += w0.w * h; }
      if (KC > 1u) { let h = hv[hb + 1u * (LDB / 4u) + q]; s0 += w1.x * h; s1 += w1.y * h; s2 += w1.z * h; s3 += w1.w * h; }
      if (KC > 2u) { let h = hv[hb + 2u * (LDB / 4u) + q]; s0 += w2.x * h; s1 += w2.y * h; s2 += w2.z * h; s3 += w2.w * h; }
      if (KC > 3u) { let h = hv[hb + 3u * (LDB / 4u) + q]; s0 += w3.x * h; s1 += w3.y * h; s2 += w3.z * h; s3 += w3.w * h; }
      if (KC > 4u) { let h = hv[hb + 4u * (LDB / 4u) + q]; s0 += w4.x * h; s1 += w4.y * h; s2 += w4.z * h; s3 += w4.w * h; }
      if (KC > 5u) { let h = hv[hb + 5u * (LDB / 4u) + q]; s0 += w5.x * h; s1 += w5.y * h; s2 += w5.z * h; s3 += w5.w * h; }
      if (KC > 6u) { let h = hv[hb + 6u * (LDB / 4u) + q]; s0 += w6.x * h; s1 += w6.y * h; s2 += w6.z * h; s3 += w6.w * h; }
      if (KC > 7u) { let h = hv[hb + 7u * (LDB / 4u) + q]; s0 += w7.x * h; s1 += w7.y * h; s2 += w7.z * h; s3 += w7.w * h; }
      if (KC > 8u) { let h = hv[hb + 8u * (LDB / 4u) + q]; s0 += w8.x * h; s1 += w8.y * h; s2 += w8.z * h; s3 += w8.w * h; }
      if (KC > 9u) { let h = hv[hb + 9u * (LDB / 4u) + q]; s0 += w9.x * h; s1 += w9.y * h; s2 += w9.z * h; s3 += w9.w * h; }
      if (KC > 10u) { let h = hv[hb + 10u * (LDB / 4u) + q]; s0 += w10.x * h; s1 += w10.y * h; s2 += w10.z * h; s3 += w10.w * h; }
      if (KC > 11u) { let h = hv[hb + 11u * (LDB / 4u) + q]; s0 += w11.x * h; s1 += w11.y * h; s2 += w11.z * h; s3 += w11.w * h; }
      if (KC > 12u) { let h = hv[hb + 12u * (LDB / 4u) + q]; s0 += w12.x * h; s1 += w12.y * h; s2 += w12.z * h; s3 += w12.w * h; }
      if (KC > 13u) { let h = hv[hb + 13u * (LDB / 4u) + q]; s0 += w13.x * h; s1 += w13.y * h; s2 += w13.z * h; s3 += w13.w * h; }
      if (KC > 14u) { let h = hv[hb + 14u * (LDB / 4u) + q]; s0 += w14.x * h; s1 += w14.y * h; s2 += w14.z * h; s3 += w14.w * h; }
      if (KC > 15u) { let h = hv[hb + 15u * (LDB / 4u) + q]; s0 += w15.x * h; s1 += w15.y * h; s2 += w15.z * h; s3 += w15.w * h; }
      if (KC > 16u) { let h = hv[hb + 16u * (LDB / 4u) + q]; s0 += w16.x * h; s1 += w16.y * h; s2 += w16.z * h; s3 += w16.w * h; }
      if (KC > 17u) { let h = hv[hb + 17u * (LDB / 4u) + q]; s0 += w17.x * h; s1 += w17.y * h; s2 += w17.z * h; s3 += w17.w * h; }
      if (KC > 18u) { let h = hv[hb + 18u * (LDB / 4u) + q]; s0 += w18.x * h; s1 += w18.y * h; s2 += w18.z * h; s3 += w18.w * h; }
      if (KC > 19u) { let h = hv[hb + 19u * (LDB / 4u) + q]; s0 += w19.x * h; s1 += w19.y * h; s2 += w19.z * h; s3 += w19.w * h; }
      if (KC > 20u) { let h = hv[hb + 20u * (LDB / 4u) + q]; s0 += w20.x * h; s1 += w20.y * h; s2 += w20.z * h; s3 += w20.w * h; }
      if (KC > 21u) { let h = hv[hb + 21u * (LDB / 4u) + q]; s0 += w21.x * h; s1 += w21.y * h; s2 += w21.z * h; s3 += w21.w * h; }
      if (KC > 22u) { let h = hv[hb + 22u * (LDB / 4u) + q]; s0 += w22.x * h; s1 += w22.y * h; s2 += w22.z * h; s3 += w22.w * h; }
      if (KC > 23u) { let h = hv[hb + 23u * (LDB / 4u) + q]; s0 += w23.x * h; s1 += w23.y * h; s2 += w23.z * h; s3 += w23.w * h; }
      if (KC > 24u) { let h = hv[hb + 24u * (LDB / 4u) + q]; s0 += w24.x * h; s1 += w24.y * h; s2 += w24.z * h; s3 += w24.w * h; }
      if (KC > 25u) { let h = hv[hb + 25u * (LDB / 4u) + q]; s0 += w25.x * h; s1 += w25.y * h; s2 += w25.z * h; s3 += w25.w * h; }
      if (KC > 26u) { let h = hv[hb + 26u * (LDB / 4u) + q]; s0 += w26.x * h; s1 += w26.y * h; s2 += w26.z * h; s3 += w26.w * h; }
      if (KC > 27u) { let h = hv[hb + 27u * (LDB / 4u) + q]; s0 += w27.x * h; s1 += w27.y * h; s2 += w27.z * h; s3 += w27.w * h; }
      if (KC > 28u) { let h = hv[hb + 28u * (LDB / 4u) + q]; s0 += w28.x * h; s1 += w28.y * h; s2 += w28.z * h; s3 += w28.w * h; }
      if (KC > 29u) { let h = hv[hb + 29u * (LDB / 4u) + q]; s0 += w29.x * h; s1 += w29.y * h; s2 += w29.z * h; s3 += w29.w * h; }
      if (KC > 30u) { let h = hv[hb + 30u * (LDB / 4u) + q]; s0 += w30.x * h; s1 += w30.y * h; s2 += w30.z * h; s3 += w30.w * h; }
      if (KC > 31u) { let h = hv[hb + 31u * (LDB / 4u) + q]; s0 += w31.x * h; s1 += w31.y * h; s2 += w31.z * h; s3 += w31.w * h; }
      v0 /= guarded(s0);
      v1 /= guarded(s1);
      v2 /= guarded(s2);
      v3 /= guarded(s3);
    }
    if (KC > 0u) { let h = hv[hb + 0u * (LDB / 4u) + q]; c0 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d0 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 1u) { let h = hv[hb + 1u * (LDB / 4u) + q]; c1 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d1 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 2u) { let h = hv[hb + 2u * (LDB / 4u) + q]; c2 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d2 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 3u) { let h = hv[hb + 3u * (LDB / 4u) + q]; c3 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d3 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 4u) { let h = hv[hb + 4u * (LDB / 4u) + q]; c4 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d4 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 5u) { let h = hv[hb + 5u * (LDB / 4u) + q]; c5 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d5 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 6u) { let h = hv[hb + 6u * (LDB / 4u) + q]; c6 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d6 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 7u) { let h = hv[hb + 7u * (LDB / 4u) + q]; c7 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d7 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 8u) { let h = hv[hb + 8u * (LDB / 4u) + q]; c8 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d8 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 9u) { let h = hv[hb + 9u * (LDB / 4u) + q]; c9 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d9 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 10u) { let h = hv[hb + 10u * (LDB / 4u) + q]; c10 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d10 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 11u) { let h = hv[hb + 11u * (LDB / 4u) + q]; c11 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d11 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 12u) { let h = hv[hb + 12u * (LDB / 4u) + q]; c12 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d12 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 13u) { let h = hv[hb + 13u * (LDB / 4u) + q]; c13 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d13 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 14u) { let h = hv[hb + 14u * (LDB / 4u) + q]; c14 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d14 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 15u) { let h = hv[hb + 15u * (LDB / 4u) + q]; c15 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d15 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 16u) { let h = hv[hb + 16u * (LDB / 4u) + q]; c16 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d16 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 17u) { let h = hv[hb + 17u * (LDB / 4u) + q]; c17 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d17 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 18u) { let h = hv[hb + 18u * (LDB / 4u) + q]; c18 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d18 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 19u) { let h = hv[hb + 19u * (LDB / 4u) + q]; c19 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d19 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 20u) { let h = hv[hb + 20u * (LDB / 4u) + q]; c20 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d20 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 21u) { let h = hv[hb + 21u * (LDB / 4u) + q]; c21 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d21 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 22u) { let h = hv[hb + 22u * (LDB / 4u) + q]; c22 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d22 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 23u) { let h = hv[hb + 23u * (LDB / 4u) + q]; c23 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d23 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 24u) { let h = hv[hb + 24u * (LDB / 4u) + q]; c24 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d24 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 25u) { let h = hv[hb + 25u * (LDB / 4u) + q]; c25 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d25 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 26u) { let h = hv[hb + 26u * (LDB / 4u) + q]; c26 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d26 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 27u) { let h = hv[hb + 27u * (LDB / 4u) + q]; c27 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d27 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 28u) { let h = hv[hb + 28u * (LDB / 4u) + q]; c28 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d28 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 29u) { let h = hv[hb + 29u * (LDB / 4u) + q]; c29 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d29 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 30u) { let h = hv[hb + 30u * (LDB / 4u) + q]; c30 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d30 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
    if (KC > 31u) { let h = hv[hb + 31u * (LDB / 4u) + q]; c31 += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); if (NT_ROWS == 8u) { d31 += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); } }
  }
  let live = vec4u(1u, select(0u, 1u, i0 + 1u < M), select(0u, 1u, i0 + 2u < M), select(0u, 1u, i0 + 3u < M));
  let liveMore = vec4u(select(0u, 1u, i0 + 4u < M), select(0u, 1u, i0 + 5u < M), select(0u, 1u, i0 + 6u < M), select(0u, 1u, i0 + 7u < M));
  let out = p.cOffset + rows * LDC;
  let outMore = p.cOffset + more * LDC;
  if (KC > 0u) { storeRows(out + vec4u(0u), live, c0); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(0u), liveMore, d0); } }
  if (KC > 1u) { storeRows(out + vec4u(1u), live, c1); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(1u), liveMore, d1); } }
  if (KC > 2u) { storeRows(out + vec4u(2u), live, c2); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(2u), liveMore, d2); } }
  if (KC > 3u) { storeRows(out + vec4u(3u), live, c3); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(3u), liveMore, d3); } }
  if (KC > 4u) { storeRows(out + vec4u(4u), live, c4); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(4u), liveMore, d4); } }
  if (KC > 5u) { storeRows(out + vec4u(5u), live, c5); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(5u), liveMore, d5); } }
  if (KC > 6u) { storeRows(out + vec4u(6u), live, c6); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(6u), liveMore, d6); } }
  if (KC > 7u) { storeRows(out + vec4u(7u), live, c7); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(7u), liveMore, d7); } }
  if (KC > 8u) { storeRows(out + vec4u(8u), live, c8); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(8u), liveMore, d8); } }
  if (KC > 9u) { storeRows(out + vec4u(9u), live, c9); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(9u), liveMore, d9); } }
  if (KC > 10u) { storeRows(out + vec4u(10u), live, c10); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(10u), liveMore, d10); } }
  if (KC > 11u) { storeRows(out + vec4u(11u), live, c11); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(11u), liveMore, d11); } }
  if (KC > 12u) { storeRows(out + vec4u(12u), live, c12); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(12u), liveMore, d12); } }
  if (KC > 13u) { storeRows(out + vec4u(13u), live, c13); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(13u), liveMore, d13); } }
  if (KC > 14u) { storeRows(out + vec4u(14u), live, c14); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(14u), liveMore, d14); } }
  if (KC > 15u) { storeRows(out + vec4u(15u), live, c15); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(15u), liveMore, d15); } }
  if (KC > 16u) { storeRows(out + vec4u(16u), live, c16); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(16u), liveMore, d16); } }
  if (KC > 17u) { storeRows(out + vec4u(17u), live, c17); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(17u), liveMore, d17); } }
  if (KC > 18u) { storeRows(out + vec4u(18u), live, c18); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(18u), liveMore, d18); } }
  if (KC > 19u) { storeRows(out + vec4u(19u), live, c19); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(19u), liveMore, d19); } }
  if (KC > 20u) { storeRows(out + vec4u(20u), live, c20); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(20u), liveMore, d20); } }
  if (KC > 21u) { storeRows(out + vec4u(21u), live, c21); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(21u), liveMore, d21); } }
  if (KC > 22u) { storeRows(out + vec4u(22u), live, c22); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(22u), liveMore, d22); } }
  if (KC > 23u) { storeRows(out + vec4u(23u), live, c23); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(23u), liveMore, d23); } }
  if (KC > 24u) { storeRows(out + vec4u(24u), live, c24); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(24u), liveMore, d24); } }
  if (KC > 25u) { storeRows(out + vec4u(25u), live, c25); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(25u), liveMore, d25); } }
  if (KC > 26u) { storeRows(out + vec4u(26u), live, c26); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(26u), liveMore, d26); } }
  if (KC > 27u) { storeRows(out + vec4u(27u), live, c27); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(27u), liveMore, d27); } }
  if (KC > 28u) { storeRows(out + vec4u(28u), live, c28); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(28u), liveMore, d28); } }
  if (KC > 29u) { storeRows(out + vec4u(29u), live, c29); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(29u), liveMore, d29); } }
  if (KC > 30u) { storeRows(out + vec4u(30u), live, c30); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(30u), liveMore, d30); } }
  if (KC > 31u) { storeRows(out + vec4u(31u), live, c31); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(31u), liveMore, d31); } }
}

fn storeRows(idx: vec4u, live: vec4u, v: vec4f) {
  if (live.x != 0u) { storeC(idx.x, v.x); }
  if (live.y != 0u) { storeC(idx.y, v.y); }
  if (live.z != 0u) { storeC(idx.z, v.z); }
  if (live.w != 0u) { storeC(idx.w, v.w); }
}

@compute @workgroup_size(SWG)
fn skinnyTN(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let j0 = (workgroupIndex(wg, nwg) * SWG + li) * TN_COLS;
  if (j0 >= N) { return; }
  let wide = TN_COLS == 8u && j0 + 4u < N; // columns j0 + 4 … j0 + 7 exist
  let xb = p.bOffset / 4u + j0 / 4u;
  let xh = select(xb, xb + 1u, wide);
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  var c4 = vec4f(0.0);
  var c5 = vec4f(0.0);
  var c6 = vec4f(0.0);
  var c7 = vec4f(0.0);
  var c8 = vec4f(0.0);
  var c9 = vec4f(0.0);
  var c10 = vec4f(0.0);
  var c11 = vec4f(0.0);
  var c12 = vec4f(0.0);
  var c13 = vec4f(0.0);
  var c14 = vec4f(0.0);
  var c15 = vec4f(0.0);
  var c16 = vec4f(0.0);
  var c17 = vec4f(0.0);
  var c18 = vec4f(0.0);
  var c19 = vec4f(0.0);
  var c20 = vec4f(0.0);
  var c21 = vec4f(0.0);
  var c22 = vec4f(0.0);
  var c23 = vec4f(0.0);
  var c24 = vec4f(0.0);
  var c25 = vec4f(0.0);
  var c26 = vec4f(0.0);
  var c27 = vec4f(0.0);
  var c28 = vec4f(0.0);
  var c29 = vec4f(0.0);
  var c30 = vec4f(0.0);
  var c31 = vec4f(0.0);
  var d0 = vec4f(0.0);
  var d1 = vec4f(0.0);
  var d2 = vec4f(0.0);
  var d3 = vec4f(0.0);
  var d4 = vec4f(0.0);
  var d5 = vec4f(0.0);
  var d6 = vec4f(0.0);
  var d7 = vec4f(0.0);
  var d8 = vec4f(0.0);
  var d9 = vec4f(0.0);
  var d10 = vec4f(0.0);
  var d11 = vec4f(0.0);
  var d12 = vec4f(0.0);
  var d13 = vec4f(0.0);
  var d14 = vec4f(0.0);
  var d15 = vec4f(0.0);
  var d16 = vec4f(0.0);
  var d17 = vec4f(0.0);
  var d18 = vec4f(0.0);
  var d19 = vec4f(0.0);
  var d20 = vec4f(0.0);
  var d21 = vec4f(0.0);
  var d22 = vec4f(0.0);
  var d23 = vec4f(0.0);
  var d24 = vec4f(0.0);
  var d25 = vec4f(0.0);
  var d26 = vec4f(0.0);
  var d27 = vec4f(0.0);
  var d28 = vec4f(0.0);
  var d29 = vec4f(0.0);
  var d30 = vec4f(0.0);
  var d31 = vec4f(0.0);
  var h0 = vec4f(0.0);
  var h1 = vec4f(0.0);
  var h2 = vec4f(0.0);
  var h3 = vec4f(0.0);
  var h4 = vec4f(0.0);
  var h5 = vec4f(0.0);
  var h6 = vec4f(0.0);
  var h7 = vec4f(0.0);
  var h8 = vec4f(0.0);
  var h9 = vec4f(0.0);
  var h10 = vec4f(0.0);
  var h11 = vec4f(0.0);
  var h12 = vec4f(0.0);
  var h13 = vec4f(0.0);
  var h14 = vec4f(0.0);
  var h15 = vec4f(0.0);
  var h16 = vec4f(0.0);
  var h17 = vec4f(0.0);
  var h18 = vec4f(0.0);
  var h19 = vec4f(0.0);
  var h20 = vec4f(0.0);
  var h21 = vec4f(0.0);
  var h22 = vec4f(0.0);
  var h23 = vec4f(0.0);
  var h24 = vec4f(0.0);
  var h25 = vec4f(0.0);
  var h26 = vec4f(0.0);
  var h27 = vec4f(0.0);
  var h28 = vec4f(0.0);
  var h29 = vec4f(0.0);
  var h30 = vec4f(0.0);
  var h31 = vec4f(0.0);
  var e0 = vec4f(0.0);
  var e1 = vec4f(0.0);
  var e2 = vec4f(0.0);
  var e3 = vec4f(0.0);
  var e4 = vec4f(0.0);
  var e5 = vec4f(0.0);
  var e6 = vec4f(0.0);
  var e7 = vec4f(0.0);
  var e8 = vec4f(0.0);
  var e9 = vec4f(0.0);
  var e10 = vec4f(0.0);
  var e11 = vec4f(0.0);
  var e12 = vec4f(0.0);
  var e13 = vec4f(0.0);
  var e14 = vec4f(0.0);
  var e15 = vec4f(0.0);
  var e16 = vec4f(0.0);
  var e17 = vec4f(0.0);
  var e18 = vec4f(0.0);
  var e19 = vec4f(0.0);
  var e20 = vec4f(0.0);
  var e21 = vec4f(0.0);
  var e22 = vec4f(0.0);
  var e23 = vec4f(0.0);
  var e24 = vec4f(0.0);
  var e25 = vec4f(0.0);
  var e26 = vec4f(0.0);
  var e27 = vec4f(0.0);
  var e28 = vec4f(0.0);
  var e29 = vec4f(0.0);
  var e30 = vec4f(0.0);
  var e31 = vec4f(0.0);
  if (DIVIDE) {
    if (KC > 0u) { h0 = hv[(0u * LDC + j0) / 4u]; }
    if (KC > 1u) { h1 = hv[(1u * LDC + j0) / 4u]; }
    if (KC > 2u) { h2 = hv[(2u * LDC + j0) / 4u]; }
    if (KC > 3u) { h3 = hv[(3u * LDC + j0) / 4u]; }
    if (KC > 4u) { h4 = hv[(4u * LDC + j0) / 4u]; }
    if (KC > 5u) { h5 = hv[(5u * LDC + j0) / 4u]; }
    if (KC > 6u) { h6 = hv[(6u * LDC + j0) / 4u]; }
    if (KC > 7u) { h7 = hv[(7u * LDC + j0) / 4u]; }
    if (KC > 8u) { h8 = hv[(8u * LDC + j0) / 4u]; }
    if (KC > 9u) { h9 = hv[(9u * LDC + j0) / 4u]; }
    if (KC > 10u) { h10 = hv[(10u * LDC + j0) / 4u]; }
    if (KC > 11u) { h11 = hv[(11u * LDC + j0) / 4u]; }
    if (KC > 12u) { h12 = hv[(12u * LDC + j0) / 4u]; }
    if (KC > 13u) { h13 = hv[(13u * LDC + j0) / 4u]; }
    if (KC > 14u) { h14 = hv[(14u * LDC + j0) / 4u]; }
    if (KC > 15u) { h15 = hv[(15u * LDC + j0) / 4u]; }
    if (KC > 16u) { h16 = hv[(16u * LDC + j0) / 4u]; }
    if (KC > 17u) { h17 = hv[(17u * LDC + j0) / 4u]; }
    if (KC > 18u) { h18 = hv[(18u * LDC + j0) / 4u]; }
    if (KC > 19u) { h19 = hv[(19u * LDC + j0) / 4u]; }
    if (KC > 20u) { h20 = hv[(20u * LDC + j0) / 4u]; }
    if (KC > 21u) { h21 = hv[(21u * LDC + j0) / 4u]; }
    if (KC > 22u) { h22 = hv[(22u * LDC + j0) / 4u]; }
    if (KC > 23u) { h23 = hv[(23u * LDC + j0) / 4u]; }
    if (KC > 24u) { h24 = hv[(24u * LDC + j0) / 4u]; }
    if (KC > 25u) { h25 = hv[(25u * LDC + j0) / 4u]; }
    if (KC > 26u) { h26 = hv[(26u * LDC + j0) / 4u]; }
    if (KC > 27u) { h27 = hv[(27u * LDC + j0) / 4u]; }
    if (KC > 28u) { h28 = hv[(28u * LDC + j0) / 4u]; }
    if (KC > 29u) { h29 = hv[(29u * LDC + j0) / 4u]; }
    if (KC > 30u) { h30 = hv[(30u * LDC + j0) / 4u]; }
    if (KC > 31u) { h31 = hv[(31u * LDC + j0) / 4u]; }
    if (TN_COLS == 8u) {
      if (KC > 0u) { e0 = hv[(0u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 1u) { e1 = hv[(1u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 2u) { e2 = hv[(2u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 3u) { e3 = hv[(3u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 4u) { e4 = hv[(4u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 5u) { e5 = hv[(5u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 6u) { e6 = hv[(6u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 7u) { e7 = hv[(7u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 8u) { e8 = hv[(8u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 9u) { e9 = hv[(9u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 10u) { e10 = hv[(10u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 11u) { e11 = hv[(11u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 12u) { e12 = hv[(12u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 13u) { e13 = hv[(13u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 14u) { e14 = hv[(14u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 15u) { e15 = hv[(15u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 16u) { e16 = hv[(16u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 17u) { e17 = hv[(17u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 18u) { e18 = hv[(18u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 19u) { e19 = hv[(19u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 20u) { e20 = hv[(20u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 21u) { e21 = hv[(21u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 22u) { e22 = hv[(22u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 23u) { e23 = hv[(23u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 24u) { e24 = hv[(24u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 25u) { e25 = hv[(25u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 26u) { e26 = hv[(26u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 27u) { e27 = hv[(27u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 28u) { e28 = hv[(28u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 29u) { e29 = hv[(29u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 30u) { e30 = hv[(30u * LDC) / 4u + xh - p.bOffset / 4u]; }
      if (KC > 31u) { e31 = hv[(31u * LDC) / 4u + xh - p.bOffset / 4u]; }
    }
  }
  for (var i = 0u; i < K; i++) {
    var v = xv[xb + i * (LDB / 4u)];
    var u = vec4f(0.0);
    if (TN_COLS == 8u) { u = xv[xh + i * (LDB / 4u)]; }
    let wi = p.aOffset + i * LDA;
    var w0 = 0.0;
    var w1 = 0.0;
    var w2 = 0.0;
    var w3 = 0.0;
    var w4 = 0.0;
    var w5 = 0.0;
    var w6 = 0.0;
    var w7 = 0.0;
    var w8 = 0.0;
    var w9 = 0.0;
    var w10 = 0.0;
    var w11 = 0.0;
    var w12 = 0.0;
    var w13 = 0.0;
    var w14 = 0.0;
    var w15 = 0.0;
    var w16 = 0.0;
    var w17 = 0.0;
    var w18 = 0.0;
    var w19 = 0.0;
    var w20 = 0.0;
    var w21 = 0.0;
    var w22 = 0.0;
    var w23 = 0.0;
    var w24 = 0.0;
    var w25 = 0.0;
    var w26 = 0.0;
    var w27 = 0.0;
    var w28 = 0.0;
    var w29 = 0.0;
    var w30 = 0.0;
    var w31 = 0.0;
    if (KC % 4u == 0u) {
      if (KC > 0u) { let t = wv[wi / 4u + 0u]; w0 = t.x; w1 = t.y; w2 = t.z; w3 = t.w; }
      if (KC > 4u) { let t = wv[wi / 4u + 1u]; w4 = t.x; w5 = t.y; w6 = t.z; w7 = t.w; }
      if (KC > 8u) { let t = wv[wi / 4u + 2u]; w8 = t.x; w9 = t.y; w10 = t.z; w11 = t.w; }
      if (KC > 12u) { let t = wv[wi / 4u + 3u]; w12 = t.x; w13 = t.y; w14 = t.z; w15 = t.w; }
      if (KC > 16u) { let t = wv[wi / 4u + 4u]; w16 = t.x; w17 = t.y; w18 = t.z; w19 = t.w; }
      if (KC > 20u) { let t = wv[wi / 4u + 5u]; w20 = t.x; w21 = t.y; w22 = t.z; w23 = t.w; }
      if (KC > 24u) { let t = wv[wi / 4u + 6u]; w24 = t.x; w25 = t.y; w26 = t.z; w27 = t.w; }
      if (KC > 28u) { let t = wv[wi / 4u + 7u]; w28 = t.x; w29 = t.y; w30 = t.z; w31 = t.w; }
    } else {
      if (KC > 0u) { w0 = w[wi + 0u]; }
      if (KC > 1u) { w1 = w[wi + 1u]; }
      if (KC > 2u) { w2 = w[wi + 2u]; }
      if (KC > 3u) { w3 = w[wi + 3u]; }
      if (KC > 4u) { w4 = w[wi + 4u]; }
      if (KC > 5u) { w5 = w[wi + 5u]; }
      if (KC > 6u) { w6 = w[wi + 6u]; }
      if (KC > 7u) { w7 = w[wi + 7u]; }
      if (KC > 8u) { w8 = w[wi + 8u]; }
      if (KC > 9u) { w9 = w[wi + 9u]; }
      if (KC > 10u) { w10 = w[wi + 10u]; }
      if (KC > 11u) { w11 = w[wi + 11u]; }
      if (KC > 12u) { w12 = w[wi + 12u]; }
      if (KC > 13u) { w13 = w[wi + 13u]; }
      if (KC > 14u) { w14 = w[wi + 14u]; }
      if (KC > 15u) { w15 = w[wi + 15u]; }
      if (KC > 16u) { w16 = w[wi + 16u]; }
      if (KC > 17u) { w17 = w[wi + 17u]; }
      if (KC > 18u) { w18 = w[wi + 18u]; }
      if (KC > 19u) { w19 = w[wi + 19u]; }
      if (KC > 20u) { w20 = w[wi + 20u]; }
      if (KC > 21u) { w21 = w[wi + 21u]; }
      if (KC > 22u) { w22 = w[wi + 22u]; }
      if (KC > 23u) { w23 = w[wi + 23u]; }
      if (KC > 24u) { w24 = w[wi + 24u]; }
      if (KC > 25u) { w25 = w[wi + 25u]; }
      if (KC > 26u) { w26 = w[wi + 26u]; }
      if (KC > 27u) { w27 = w[wi + 27u]; }
      if (KC > 28u) { w28 = w[wi + 28u]; }
      if (KC > 29u) { w29 = w[wi + 29u]; }
      if (KC > 30u) { w30 = w[wi + 30u]; }
      if (KC > 31u) { w31 = w[wi + 31u]; }
    }
    if (DIVIDE) {
      var s = vec4f(0.0);
      var z = vec4f(0.0);
      if (KC > 0u) { s += w0 * h0; z += w0 * e0; }
      if (KC > 1u) { s += w1 * h1; z += w1 * e1; }
      if (KC > 2u) { s += w2 * h2; z += w2 * e2; }
      if (KC > 3u) { s += w3 * h3; z += w3 * e3; }
      if (KC > 4u) { s += w4 * h4; z += w4 * e4; }
      if (KC > 5u) { s += w5 * h5; z += w5 * e5; }
      if (KC > 6u) { s += w6 * h6; z += w6 * e6; }
      if (KC > 7u) { s += w7 * h7; z += w7 * e7; }
      if (KC > 8u) { s += w8 * h8; z += w8 * e8; }
      if (KC > 9u) { s += w9 * h9; z += w9 * e9; }
      if (KC > 10u) { s += w10 * h10; z += w10 * e10; }
      if (KC > 11u) { s += w11 * h11; z += w11 * e11; }
      if (KC > 12u) { s += w12 * h12; z += w12 * e12; }
      if (KC > 13u) { s += w13 * h13; z += w13 * e13; }
      if (KC > 14u) { s += w14 * h14; z += w14 * e14; }
      if (KC > 15u) { s += w15 * h15; z += w15 * e15; }
      if (KC > 16u) { s += w16 * h16; z += w16 * e16; }
      if (KC > 17u) { s += w17 * h17; z += w17 * e17; }
      if (KC > 18u) { s += w18 * h18; z += w18 * e18; }
      if (KC > 19u) { s += w19 * h19; z += w19 * e19; }
      if (KC > 20u) { s += w20 * h20; z += w20 * e20; }
      if (KC > 21u) { s += w21 * h21; z += w21 * e21; }
      if (KC > 22u) { s += w22 * h22; z += w22 * e22; }
      if (KC > 23u) { s += w23 * h23; z += w23 * e23; }
      if (KC > 24u) { s += w24 * h24; z += w24 * e24; }
      if (KC > 25u) { s += w25 * h25; z += w25 * e25; }
      if (KC > 26u) { s += w26 * h26; z += w26 * e26; }
      if (KC > 27u) { s += w27 * h27; z += w27 * e27; }
      if (KC > 28u) { s += w28 * h28; z += w28 * e28; }
      if (KC > 29u) { s += w29 * h29; z += w29 * e29; }
      if (KC > 30u) { s += w30 * h30; z += w30 * e30; }
      if (KC > 31u) { s += w31 * h31; z += w31 * e31; }
      v /= guarded(s);
      u /= guarded(z);
    }
    if (KC > 0u) { c0 += w0 * v; d0 += w0 * u; }
    if (KC > 1u) { c1 += w1 * v; d1 += w1 * u; }
    if (KC > 2u) { c2 += w2 * v; d2 += w2 * u; }
    if (KC > 3u) { c3 += w3 * v; d3 += w3 * u; }
    if (KC > 4u) { c4 += w4 * v; d4 += w4 * u; }
    if (KC > 5u) { c5 += w5 * v; d5 += w5 * u; }
    if (KC > 6u) { c6 += w6 * v; d6 += w6 * u; }
    if (KC > 7u) { c7 += w7 * v; d7 += w7 * u; }
    if (KC > 8u) { c8 += w8 * v; d8 += w8 * u; }
    if (KC > 9u) { c9 += w9 * v; d9 += w9 * u; }
    if (KC > 10u) { c10 += w10 * v; d10 += w10 * u; }
    if (KC > 11u) { c11 += w11 * v; d11 += w11 * u; }
    if (KC > 12u) { c12 += w12 * v; d12 += w12 * u; }
    if (KC > 13u) { c13 += w13 * v; d13 += w13 * u; }
    if (KC > 14u) { c14 += w14 * v; d14 += w14 * u; }
    if (KC > 15u) { c15 += w15 * v; d15 += w15 * u; }
    if (KC > 16u) { c16 += w16 * v; d16 += w16 * u; }
    if (KC > 17u) { c17 += w17 * v; d17 += w17 * u; }
    if (KC > 18u) { c18 += w18 * v; d18 += w18 * u; }
    if (KC > 19u) { c19 += w19 * v; d19 += w19 * u; }
    if (KC > 20u) { c20 += w20 * v; d20 += w20 * u; }
    if (KC > 21u) { c21 += w21 * v; d21 += w21 * u; }
    if (KC > 22u) { c22 += w22 * v; d22 += w22 * u; }
    if (KC > 23u) { c23 += w23 * v; d23 += w23 * u; }
    if (KC > 24u) { c24 += w24 * v; d24 += w24 * u; }
    if (KC > 25u) { c25 += w25 * v; d25 += w25 * u; }
    if (KC > 26u) { c26 += w26 * v; d26 += w26 * u; }
    if (KC > 27u) { c27 += w27 * v; d27 += w27 * u; }
    if (KC > 28u) { c28 += w28 * v; d28 += w28 * u; }
    if (KC > 29u) { c29 += w29 * v; d29 += w29 * u; }
    if (KC > 30u) { c30 += w30 * v; d30 += w30 * u; }
    if (KC > 31u) { c31 += w31 * v; d31 += w31 * u; }
  }
  if (KC > 0u) { storeCols(p.cOffset + 0u * LDC + j0, c0); if (wide) { storeCols(p.cOffset + 0u * LDC + j0 + 4u, d0); } }
  if (KC > 1u) { storeCols(p.cOffset + 1u * LDC + j0, c1); if (wide) { storeCols(p.cOffset + 1u * LDC + j0 + 4u, d1); } }
  if (KC > 2u) { storeCols(p.cOffset + 2u * LDC + j0, c2); if (wide) { storeCols(p.cOffset + 2u * LDC + j0 + 4u, d2); } }
  if (KC > 3u) { storeCols(p.cOffset + 3u * LDC + j0, c3); if (wide) { storeCols(p.cOffset + 3u * LDC + j0 + 4u, d3); } }
  if (KC > 4u) { storeCols(p.cOffset + 4u * LDC + j0, c4); if (wide) { storeCols(p.cOffset + 4u * LDC + j0 + 4u, d4); } }
  if (KC > 5u) { storeCols(p.cOffset + 5u * LDC + j0, c5); if (wide) { storeCols(p.cOffset + 5u * LDC + j0 + 4u, d5); } }
  if (KC > 6u) { storeCols(p.cOffset + 6u * LDC + j0, c6); if (wide) { storeCols(p.cOffset + 6u * LDC + j0 + 4u, d6); } }
  if (KC > 7u) { storeCols(p.cOffset + 7u * LDC + j0, c7); if (wide) { storeCols(p.cOffset + 7u * LDC + j0 + 4u, d7); } }
  if (KC > 8u) { storeCols(p.cOffset + 8u * LDC + j0, c8); if (wide) { storeCols(p.cOffset + 8u * LDC + j0 + 4u, d8); } }
  if (KC > 9u) { storeCols(p.cOffset + 9u * LDC + j0, c9); if (wide) { storeCols(p.cOffset + 9u * LDC + j0 + 4u, d9); } }
  if (KC > 10u) { storeCols(p.cOffset + 10u * LDC + j0, c10); if (wide) { storeCols(p.cOffset + 10u * LDC + j0 + 4u, d10); } }
  if (KC > 11u) { storeCols(p.cOffset + 11u * LDC + j0, c11); if (wide) { storeCols(p.cOffset + 11u * LDC + j0 + 4u, d11); } }
  if (KC > 12u) { storeCols(p.cOffset + 12u * LDC + j0, c12); if (wide) { storeCols(p.cOffset + 12u * LDC + j0 + 4u, d12); } }
  if (KC > 13u) { storeCols(p.cOffset + 13u * LDC + j0, c13); if (wide) { storeCols(p.cOffset + 13u * LDC + j0 + 4u, d13); } }
  if (KC > 14u) { storeCols(p.cOffset + 14u * LDC + j0, c14); if (wide) { storeCols(p.cOffset + 14u * LDC + j0 + 4u, d14); } }
  if (KC > 15u) { storeCols(p.cOffset + 15u * LDC + j0, c15); if (wide) { storeCols(p.cOffset + 15u * LDC + j0 + 4u, d15); } }
  if (KC > 16u) { storeCols(p.cOffset + 16u * LDC + j0, c16); if (wide) { storeCols(p.cOffset + 16u * LDC + j0 + 4u, d16); } }
  if (KC > 17u) { storeCols(p.cOffset + 17u * LDC + j0, c17); if (wide) { storeCols(p.cOffset + 17u * LDC + j0 + 4u, d17); } }
  if (KC > 18u) { storeCols(p.cOffset + 18u * LDC + j0, c18); if (wide) { storeCols(p.cOffset + 18u * LDC + j0 + 4u, d18); } }
  if (KC > 19u) { storeCols(p.cOffset + 19u * LDC + j0, c19); if (wide) { storeCols(p.cOffset + 19u * LDC + j0 + 4u, d19); } }
  if (KC > 20u) { storeCols(p.cOffset + 20u * LDC + j0, c20); if (wide) { storeCols(p.cOffset + 20u * LDC + j0 + 4u, d20); } }
  if (KC > 21u) { storeCols(p.cOffset + 21u * LDC + j0, c21); if (wide) { storeCols(p.cOffset + 21u * LDC + j0 + 4u, d21); } }
  if (KC > 22u) { storeCols(p.cOffset + 22u * LDC + j0, c22); if (wide) { storeCols(p.cOffset + 22u * LDC + j0 + 4u, d22); } }
  if (KC > 23u) { storeCols(p.cOffset + 23u * LDC + j0, c23); if (wide) { storeCols(p.cOffset + 23u * LDC + j0 + 4u, d23); } }
  if (KC > 24u) { storeCols(p.cOffset + 24u * LDC + j0, c24); if (wide) { storeCols(p.cOffset + 24u * LDC + j0 + 4u, d24); } }
  if (KC > 25u) { storeCols(p.cOffset + 25u * LDC + j0, c25); if (wide) { storeCols(p.cOffset + 25u * LDC + j0 + 4u, d25); } }
  if (KC > 26u) { storeCols(p.cOffset + 26u * LDC + j0, c26); if (wide) { storeCols(p.cOffset + 26u * LDC + j0 + 4u, d26); } }
  if (KC > 27u) { storeCols(p.cOffset + 27u * LDC + j0, c27); if (wide) { storeCols(p.cOffset + 27u * LDC + j0 + 4u, d27); } }
  if (KC > 28u) { storeCols(p.cOffset + 28u * LDC + j0, c28); if (wide) { storeCols(p.cOffset + 28u * LDC + j0 + 4u, d28); } }
  if (KC > 29u) { storeCols(p.cOffset + 29u * LDC + j0, c29); if (wide) { storeCols(p.cOffset + 29u * LDC + j0 + 4u, d29); } }
  if (KC > 30u) { storeCols(p.cOffset + 30u * LDC + j0, c30); if (wide) { storeCols(p.cOffset + 30u * LDC + j0 + 4u, d30); } }
  if (KC > 31u) { storeCols(p.cOffset + 31u * LDC + j0, c31); if (wide) { storeCols(p.cOffset + 31u * LDC + j0 + 4u, d31); } }
}

fn storeCols(idx: u32, v: vec4f) {
  storeC(idx, v.x);
  storeC(idx + 1u, v.y);
  storeC(idx + 2u, v.z);
  storeC(idx + 3u, v.w);
}
