// gemm.wgsl — C = op(A)·op(B), or C += op(A)·op(B) when accumulating (row blocks of X add up).
//   C[i, j] = Σ_p A(i, p)·B(p, j),   i < M, j < N, p < K
//   A(i, p) = a[aOffset + (TRANS_A ? p·LDA + i : i·LDA + p)],   B(p, j) likewise with LDB, TRANS_B.
// Serves Wᵀ·W, H·Hᵀ, W·(HHᵀ), (WᵀW)·H, with B = ones row and column sums, and X·Hᵀ, Wᵀ·X where the
// skinny kernels (generated/skinny.wgsl) do not fit (k > 32, or rows of X not a multiple of 4 floats).
// divideX: C = X ⊘ (A·B) (Kullback-Leibler's X / WH for a block of rows, WH == 0 → EPSILON), likewise.
//
// Shaped for SwiftShader (and other CPU-like WebGPU), rather than a workgroup-memory tiling:
// every invocation computes an RM × CW block of C (8 or 4 each: 4 when that side is small) straight
// from storage, no workgroup memory and no barrier (SwiftShader runs a workgroup's invocations 4 at a
// time and a barrier switches between them), the inner loop unrolled over 4 steps of p, vec4f
// accumulators (no function-scope array indexed in a loop, which SwiftShader keeps in memory). Each
// load costs SwiftShader a per-lane memory access, so the larger the block, the fewer per product.
// The sizes are override constants, so the compiler sees constant strides and trip counts
// (bench/webgpu/override-shapes.ts weighs them against uniforms); pipelines are cached per shape (the
// device's cache is bounded), and a fit has a handful of shapes. This is the 'software' plan's GEMM;
// the 'hardware' plan's is tiled.wgsl (shapes as uniforms).
// Out-of-range rows and columns are clamped for loading (no bounds test inside the loop) and
// skipped when storing.

struct Params {
  aOffset: u32,
  bOffset: u32,
  cOffset: u32,
  xOffset: u32,    // divideX: offset of this block of rows of X (its row stride is LDC)
  accumulate: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<storage, read> x: array<f32>; // divideX

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override M: u32;
override N: u32;
override K: u32;
override LDA: u32;
override LDB: u32;
override LDC: u32;
override WG: u32 = 64u;
override RM: u32 = 8u; // rows per invocation: 8, or 4 (rows 4 … 7 are dead code then)
override CW: u32 = 8u; // columns per invocation: 8, or 4 (columns 4 … 7 are dead code then)

/** A(i, q … q+3) */
fn rowA(i: u32, q: u32) -> vec4f {
  if (TRANS_A) {
    let base = p.aOffset + q * LDA + i;
    return vec4f(a[base], a[base + LDA], a[base + 2u * LDA], a[base + 3u * LDA]);
  }
  let base = p.aOffset + i * LDA + q;
  return vec4f(a[base], a[base + 1u], a[base + 2u], a[base + 3u]);
}

fn elemA(i: u32, q: u32) -> f32 {
  if (TRANS_A) { return a[p.aOffset + q * LDA + i]; }
  return a[p.aOffset + i * LDA + q];
}

/** B(q, j.x … j.w) */
fn rowB(q: u32, j: vec4u) -> vec4f {
  if (TRANS_B) {
    let base = p.bOffset + q;
    return vec4f(b[base + j.x * LDB], b[base + j.y * LDB], b[base + j.z * LDB], b[base + j.w * LDB]);
  }
  let base = p.bOffset + q * LDB;
  return vec4f(b[base + j.x], b[base + j.y], b[base + j.z], b[base + j.w]);
}

/** The RM × CW block of op(A)·op(B) at rows i0 …, columns j0 …: row r, columns 0 … 3 in l<r>, 4 … 7 in h<r>. */
struct Block {
  l0: vec4f, l1: vec4f, l2: vec4f, l3: vec4f, l4: vec4f, l5: vec4f, l6: vec4f, l7: vec4f,
  h0: vec4f, h1: vec4f, h2: vec4f, h3: vec4f, h4: vec4f, h5: vec4f, h6: vec4f, h7: vec4f,
}

fn block(i0: u32, j0: u32) -> Block {
  let last = M - 1u;
  let i1 = min(i0 + 1u, last);
  let i2 = min(i0 + 2u, last);
  let i3 = min(i0 + 3u, last);
  let i4 = min(i0 + 4u, last);
  let i5 = min(i0 + 5u, last);
  let i6 = min(i0 + 6u, last);
  let i7 = min(i0 + 7u, last);
  let jl = min(vec4u(j0, j0 + 1u, j0 + 2u, j0 + 3u), vec4u(N - 1u));
  let jh = min(vec4u(j0 + 4u, j0 + 5u, j0 + 6u, j0 + 7u), vec4u(N - 1u));
  var l0 = vec4f(0.0);
  var l1 = vec4f(0.0);
  var l2 = vec4f(0.0);
  var l3 = vec4f(0.0);
  var l4 = vec4f(0.0);
  var l5 = vec4f(0.0);
  var l6 = vec4f(0.0);
  var l7 = vec4f(0.0);
  var h0 = vec4f(0.0);
  var h1 = vec4f(0.0);
  var h2 = vec4f(0.0);
  var h3 = vec4f(0.0);
  var h4 = vec4f(0.0);
  var h5 = vec4f(0.0);
  var h6 = vec4f(0.0);
  var h7 = vec4f(0.0);
  var q = 0u;
  for (; q + 4u <= K; q += 4u) {
    let b0 = rowB(q, jl);
    let b1 = rowB(q + 1u, jl);
    let b2 = rowB(q + 2u, jl);
    let b3 = rowB(q + 3u, jl);
    var c0 = vec4f(0.0);
    var c1 = vec4f(0.0);
    var c2 = vec4f(0.0);
    var c3 = vec4f(0.0);
    if (CW == 8u) {
      c0 = rowB(q, jh);
      c1 = rowB(q + 1u, jh);
      c2 = rowB(q + 2u, jh);
      c3 = rowB(q + 3u, jh);
    }
    let a0 = rowA(i0, q);
    let a1 = rowA(i1, q);
    let a2 = rowA(i2, q);
    let a3 = rowA(i3, q);
    l0 += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
    l1 += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
    l2 += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
    l3 += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
    if (CW == 8u) {
      h0 += a0.x * c0 + a0.y * c1 + a0.z * c2 + a0.w * c3;
      h1 += a1.x * c0 + a1.y * c1 + a1.z * c2 + a1.w * c3;
      h2 += a2.x * c0 + a2.y * c1 + a2.z * c2 + a2.w * c3;
      h3 += a3.x * c0 + a3.y * c1 + a3.z * c2 + a3.w * c3;
    }
    if (RM == 8u) {
      let a4 = rowA(i4, q);
      let a5 = rowA(i5, q);
      let a6 = rowA(i6, q);
      let a7 = rowA(i7, q);
      l4 += a4.x * b0 + a4.y * b1 + a4.z * b2 + a4.w * b3;
      l5 += a5.x * b0 + a5.y * b1 + a5.z * b2 + a5.w * b3;
      l6 += a6.x * b0 + a6.y * b1 + a6.z * b2 + a6.w * b3;
      l7 += a7.x * b0 + a7.y * b1 + a7.z * b2 + a7.w * b3;
      if (CW == 8u) {
        h4 += a4.x * c0 + a4.y * c1 + a4.z * c2 + a4.w * c3;
        h5 += a5.x * c0 + a5.y * c1 + a5.z * c2 + a5.w * c3;
        h6 += a6.x * c0 + a6.y * c1 + a6.z * c2 + a6.w * c3;
        h7 += a7.x * c0 + a7.y * c1 + a7.z * c2 + a7.w * c3;
      }
    }
  }
  for (; q < K; q++) {
    let bl = rowB(q, jl);
    let bh = rowB(q, jh);
    let e0 = elemA(i0, q);
    l0 += e0 * bl;
    h0 += e0 * bh;
    let e1 = elemA(i1, q);
    l1 += e1 * bl;
    h1 += e1 * bh;
    let e2 = elemA(i2, q);
    l2 += e2 * bl;
    h2 += e2 * bh;
    let e3 = elemA(i3, q);
    l3 += e3 * bl;
    h3 += e3 * bh;
    let e4 = elemA(i4, q);
    l4 += e4 * bl;
    h4 += e4 * bh;
    let e5 = elemA(i5, q);
    l5 += e5 * bl;
    h5 += e5 * bh;
    let e6 = elemA(i6, q);
    l6 += e6 * bl;
    h6 += e6 * bh;
    let e7 = elemA(i7, q);
    l7 += e7 * bl;
    h7 += e7 * bh;
  }
  return Block(l0, l1, l2, l3, l4, l5, l6, l7, h0, h1, h2, h3, h4, h5, h6, h7);
}

/** This invocation's block (row, column of its top-left entry), or none past the end. */
fn origin(wg: vec3u, nwg: vec3u, li: u32) -> vec2u {
  let t = linearId(wg, nwg, li);
  let blocksPerRow = (N + CW - 1u) / CW;
  return vec2u((t / blocksPerRow) * RM, (t % blocksPerRow) * CW);
}

fn store(i: u32, j: u32, v: f32) {
  if (i < M && j < N) {
    let idx = p.cOffset + i * LDC + j;
    var value = v;
    if (p.accumulate != 0u) { value += c[idx]; }
    c[idx] = value;
  }
}

fn storeRow(i: u32, j: u32, v: vec4f) {
  store(i, j, v.x);
  store(i, j + 1u, v.y);
  store(i, j + 2u, v.z);
  store(i, j + 3u, v.w);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let o = origin(wg, nwg, li);
  if (o.x >= M) { return; }
  let r = block(o.x, o.y);
  let y = o.y + 4u;
  storeRow(o.x + 0u, o.y, r.l0);
  if (CW == 8u) { storeRow(o.x + 0u, y, r.h0); }
  storeRow(o.x + 1u, o.y, r.l1);
  if (CW == 8u) { storeRow(o.x + 1u, y, r.h1); }
  storeRow(o.x + 2u, o.y, r.l2);
  if (CW == 8u) { storeRow(o.x + 2u, y, r.h2); }
  storeRow(o.x + 3u, o.y, r.l3);
  if (CW == 8u) { storeRow(o.x + 3u, y, r.h3); }
  if (RM == 4u) { return; }
  storeRow(o.x + 4u, o.y, r.l4);
  if (CW == 8u) { storeRow(o.x + 4u, y, r.h4); }
  storeRow(o.x + 5u, o.y, r.l5);
  if (CW == 8u) { storeRow(o.x + 5u, y, r.h5); }
  storeRow(o.x + 6u, o.y, r.l6);
  if (CW == 8u) { storeRow(o.x + 6u, y, r.h6); }
  storeRow(o.x + 7u, o.y, r.l7);
  if (CW == 8u) { storeRow(o.x + 7u, y, r.h7); }
}

fn ratio(i: u32, j: u32, wh: f32) {
  if (i < M && j < N) { c[p.cOffset + i * LDC + j] = x[p.xOffset + i * LDC + j] / select(wh, EPSILON, wh == 0.0); }
}

fn ratioRow(i: u32, j: u32, wh: vec4f) {
  ratio(i, j, wh.x);
  ratio(i, j + 1u, wh.y);
  ratio(i, j + 2u, wh.z);
  ratio(i, j + 3u, wh.w);
}

@compute @workgroup_size(WG)
fn divideX(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let o = origin(wg, nwg, li);
  if (o.x >= M) { return; }
  let r = block(o.x, o.y);
  let y = o.y + 4u;
  ratioRow(o.x + 0u, o.y, r.l0);
  if (CW == 8u) { ratioRow(o.x + 0u, y, r.h0); }
  ratioRow(o.x + 1u, o.y, r.l1);
  if (CW == 8u) { ratioRow(o.x + 1u, y, r.h1); }
  ratioRow(o.x + 2u, o.y, r.l2);
  if (CW == 8u) { ratioRow(o.x + 2u, y, r.h2); }
  ratioRow(o.x + 3u, o.y, r.l3);
  if (CW == 8u) { ratioRow(o.x + 3u, y, r.h3); }
  if (RM == 4u) { return; }
  ratioRow(o.x + 4u, o.y, r.l4);
  if (CW == 8u) { ratioRow(o.x + 4u, y, r.h4); }
  ratioRow(o.x + 5u, o.y, r.l5);
  if (CW == 8u) { ratioRow(o.x + 5u, y, r.h5); }
  ratioRow(o.x + 6u, o.y, r.l6);
  if (CW == 8u) { ratioRow(o.x + 6u, y, r.h6); }
  ratioRow(o.x + 7u, o.y, r.l7);
  if (CW == 8u) { ratioRow(o.x + 7u, y, r.h7); }
}
