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
  {{nt-vars}}
  if (DIVIDE) {
    {{nt-load-w}}
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
      {{nt-divide}}
      v0 /= guarded(s0);
      v1 /= guarded(s1);
      v2 /= guarded(s2);
      v3 /= guarded(s3);
    }
    {{nt-accumulate}}
  }
  let live = vec4u(1u, select(0u, 1u, i0 + 1u < M), select(0u, 1u, i0 + 2u < M), select(0u, 1u, i0 + 3u < M));
  let liveMore = vec4u(select(0u, 1u, i0 + 4u < M), select(0u, 1u, i0 + 5u < M), select(0u, 1u, i0 + 6u < M), select(0u, 1u, i0 + 7u < M));
  let out = p.cOffset + rows * LDC;
  let outMore = p.cOffset + more * LDC;
  {{nt-store}}
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
  {{tn-vars}}
  if (DIVIDE) {
    {{tn-load-h}}
    if (TN_COLS == 8u) {
      {{tn-load-e}}
    }
  }
  for (var i = 0u; i < K; i++) {
    var v = xv[xb + i * (LDB / 4u)];
    var u = vec4f(0.0);
    if (TN_COLS == 8u) { u = xv[xh + i * (LDB / 4u)]; }
    let wi = p.aOffset + i * LDA;
    {{tn-w-vars}}
    if (KC % 4u == 0u) {
      {{tn-load-wv}}
    } else {
      {{tn-load-w}}
    }
    if (DIVIDE) {
      var s = vec4f(0.0);
      var z = vec4f(0.0);
      {{tn-divide}}
      v /= guarded(s);
      u /= guarded(z);
    }
    {{tn-accumulate}}
  }
  {{tn-store}}
}

fn storeCols(idx: u32, v: vec4f) {
  storeC(idx, v.x);
  storeC(idx + 1u, v.y);
  storeC(idx + 2u, v.z);
  storeC(idx + 3u, v.w);
}
