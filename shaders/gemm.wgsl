// gemm.wgsl — C = op(A)·op(B), or C += op(A)·op(B) when accumulating (row blocks of X add up).
//   C[i, j] = Σ_p A(i, p)·B(p, j),   i < M, j < N, p < K
//   A(i, p) = a[aOffset + (TRANS_A ? p·LDA + i : i·LDA + p)],   B(p, j) likewise with LDB, TRANS_B.
// Serves X·Hᵀ, Wᵀ·X, Wᵀ·W, H·Hᵀ, W·(HHᵀ), (WᵀW)·H and, with B = ones, row and column sums.
// divideX: C = X ⊘ (A·B) (Kullback-Leibler's X / WH for a block of rows, WH == 0 → EPSILON).
//
// Shaped for SwiftShader (and other CPU-like WebGPU), where it beats a workgroup-memory tiling 3–4×:
// every invocation computes a 4 × 4 block of C straight from storage, no workgroup memory and no
// barrier (SwiftShader runs a workgroup's invocations 4 at a time and a barrier switches between
// them), the inner loop unrolled over 4 steps of p, four vec4f accumulators (no function-scope
// array indexed in a loop, which SwiftShader keeps in memory). The sizes are override constants,
// so the compiler sees constant strides and trip counts (2–3× over the same code reading them from
// a uniform); pipelines are cached per shape, and a fit has a handful of shapes.
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
@group(0) @binding(4) var<storage, read> x: array<f32>;

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override M: u32;
override N: u32;
override K: u32;
override LDA: u32;
override LDB: u32;
override LDC: u32;
override WG: u32 = 64u;
const EPSILON: f32 = 1.1920928955078125e-7; // float32 eps, scikit-learn's EPSILON

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

/** The 4 × 4 block of op(A)·op(B) at rows i0 …, columns j0 …; rows [0 … 3] of the result. */
struct Block {
  r0: vec4f,
  r1: vec4f,
  r2: vec4f,
  r3: vec4f,
}

fn block(i0: u32, j0: u32) -> Block {
  let last = M - 1u;
  let i1 = min(i0 + 1u, last);
  let i2 = min(i0 + 2u, last);
  let i3 = min(i0 + 3u, last);
  let j = min(vec4u(j0, j0 + 1u, j0 + 2u, j0 + 3u), vec4u(N - 1u));
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  var q = 0u;
  for (; q + 4u <= K; q += 4u) {
    let b0 = rowB(q, j);
    let b1 = rowB(q + 1u, j);
    let b2 = rowB(q + 2u, j);
    let b3 = rowB(q + 3u, j);
    let a0 = rowA(i0, q);
    let a1 = rowA(i1, q);
    let a2 = rowA(i2, q);
    let a3 = rowA(i3, q);
    acc0 += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
    acc1 += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
    acc2 += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
    acc3 += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
  }
  for (; q < K; q++) {
    let bq = rowB(q, j);
    acc0 += elemA(i0, q) * bq;
    acc1 += elemA(i1, q) * bq;
    acc2 += elemA(i2, q) * bq;
    acc3 += elemA(i3, q) * bq;
  }
  return Block(acc0, acc1, acc2, acc3);
}

/** This invocation's block (row, column of its top-left entry), or none past the end. */
fn origin(wg: vec3u, nwg: vec3u, li: u32) -> vec2u {
  let t = (wg.y * nwg.x + wg.x) * WG + li;
  let blocksPerRow = (N + 3u) / 4u;
  return vec2u((t / blocksPerRow) * 4u, (t % blocksPerRow) * 4u);
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
  storeRow(o.x, o.y, r.r0);
  storeRow(o.x + 1u, o.y, r.r1);
  storeRow(o.x + 2u, o.y, r.r2);
  storeRow(o.x + 3u, o.y, r.r3);
}

fn storeRatio(i: u32, j: u32, wh: vec4f) {
  if (i >= M) { return; }
  let safe = select(wh, vec4f(EPSILON), wh == vec4f(0.0));
  for (var t = 0u; t < 4u; t++) {
    if (j + t < N) { c[p.cOffset + i * LDC + j + t] = x[p.xOffset + i * LDC + j + t] / safe[t]; }
  }
}

@compute @workgroup_size(WG)
fn divideX(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let o = origin(wg, nwg, li);
  if (o.x >= M) { return; }
  let r = block(o.x, o.y);
  storeRatio(o.x, o.y, r.r0);
  storeRatio(o.x + 1u, o.y, r.r1);
  storeRatio(o.x + 2u, o.y, r.r2);
  storeRatio(o.x + 3u, o.y, r.r3);
}
