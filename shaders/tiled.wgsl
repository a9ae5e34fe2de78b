// tiled.wgsl — C = op(A)·op(B) for real GPUs (the 'hardware' plan), and the sum of split-K partials.
//   tiledGemm:  C[i, j] = Σ_p A(i, p)·B(p, j),  i < M, j < N, p < K,
//               A(i, p) = a[aOffset + (TRANS_A ? p·lda + i : i·lda + p)],  B(p, j) likewise with ldb, TRANS_B.
//     Each workgroup computes a TILE_M × TILE_N tile of C over one split of K: p in [s·chunk, (s+1)·chunk),
//     from shared-memory tiles of A and B (TK deep, loaded with neighbouring lanes on neighbouring
//     addresses whatever the transposes), each invocation a RB × RB register block read as vec4s.
//     One split: C (+)= the tile; several: partials[s·M·N + i·N + j] = the tile (sumSplits adds them).
//   sumSplits:  c[cOffset + i·ldc + j] (+)= Σ_{s < splits} partials[bOffset + s·M·N + i·N + j], `lanes`
//     lanes per entry of C (each sums every lanes-th split, then the lanes add up in shared memory).
// Shapes, strides and offsets are uniforms (one pipeline serves every size); the override constants
// shape the code only (tile, register block, transposes).

struct Params {
  M: u32,
  N: u32,
  K: u32,
  lda: u32,
  ldb: u32,
  ldc: u32,
  aOffset: u32,
  bOffset: u32,
  cOffset: u32,
  chunk: u32,       // K per split (a multiple of TK)
  splits: u32,
  tilesM: u32,
  tilesN: u32,
  accumulate: u32,  // one split, or sumSplits: add to C instead of writing it
  lanes: u32,       // sumSplits: lanes per entry of C (a power of two ≤ 64)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override WG_X: u32 = 8u;  // invocations along N
override WG_Y: u32 = 8u;  // invocations along M
override RB: u32 = 4u;    // register block: RB × RB entries of C per invocation (2 or 4)
override TK: u32 = 16u;
override THREADS: u32 = WG_X * WG_Y;

// As[q·WG_Y + ty] = A(row0 + RB·ty + 0 … RB−1, p0 + q);  Bs[q·WG_X + tx] = B(p0 + q, col0 + RB·tx + 0 … RB−1)
// (RB = 2 uses the first two components of each vec4)
var<workgroup> As: array<vec4f, TK * WG_Y>;
var<workgroup> Bs: array<vec4f, TK * WG_X>;

fn loadA(i: u32, q: u32, kEnd: u32) -> f32 {
  if (i >= p.M || q >= kEnd) { return 0.0; }
  if (TRANS_A) { return a[p.aOffset + q * p.lda + i]; }
  return a[p.aOffset + i * p.lda + q];
}

fn loadB(q: u32, j: u32, kEnd: u32) -> f32 {
  if (j >= p.N || q >= kEnd) { return 0.0; }
  if (TRANS_B) { return b[p.bOffset + j * p.ldb + q]; }
  return b[p.bOffset + q * p.ldb + j];
}

fn store(s: u32, i: u32, j: u32, v: f32) {
  if (i >= p.M || j >= p.N) { return; }
  if (p.splits > 1u) {
    partials[(s * p.M + i) * p.N + j] = v;
    return;
  }
  let idx = p.cOffset + i * p.ldc + j;
  c[idx] = select(v, v + c[idx], p.accumulate != 0u);
}

fn storeRow(s: u32, i: u32, j: u32, v: vec4f) {
  store(s, i, j, v.x);
  store(s, i, j + 1u, v.y);
  if (RB == 4u) {
    store(s, i, j + 2u, v.z);
    store(s, i, j + 3u, v.w);
  }
}

@compute @workgroup_size(WG_X, WG_Y)
fn tiledGemm(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
             @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let id = workgroupIndex(wg, nwg);
  let tiles = p.tilesM * p.tilesN;
  let s = id / tiles;
  if (s >= p.splits) { return; } // past the end of a folded grid (the whole workgroup)
  let tile = id % tiles;
  let row0 = (tile / p.tilesN) * (WG_Y * RB);
  let col0 = (tile % p.tilesN) * (WG_X * RB);
  let kStart = s * p.chunk;
  let kEnd = min(p.K, kStart + p.chunk);
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  let tm = WG_Y * RB;
  let tn = WG_X * RB;
  for (var p0 = kStart; p0 < kEnd; p0 += TK) {
    // A's tile: lanes run along A's contiguous dimension (p, or i when transposed)
    for (var e = li; e < TK * tm; e += THREADS) {
      var q: u32;
      var r: u32;
      if (TRANS_A) { r = e % tm; q = e / tm; } else { q = e % TK; r = e / TK; }
      As[q * WG_Y + r / RB][r % RB] = loadA(row0 + r, p0 + q, kEnd);
    }
    for (var e = li; e < TK * tn; e += THREADS) {
      var q: u32;
      var r: u32;
      if (TRANS_B) { q = e % TK; r = e / TK; } else { r = e % tn; q = e / tn; }
      Bs[q * WG_X + r / RB][r % RB] = loadB(p0 + q, col0 + r, kEnd);
    }
    workgroupBarrier();
    for (var q = 0u; q < TK; q++) {
      let av = As[q * WG_Y + lid.y];
      let bv = Bs[q * WG_X + lid.x];
      acc0 = fma(vec4f(av.x), bv, acc0);
      acc1 = fma(vec4f(av.y), bv, acc1);
      if (RB == 4u) {
        acc2 = fma(vec4f(av.z), bv, acc2);
        acc3 = fma(vec4f(av.w), bv, acc3);
      }
    }
    workgroupBarrier();
  }
  let i = row0 + lid.y * RB;
  let j = col0 + lid.x * RB;
  storeRow(s, i, j, acc0);
  storeRow(s, i + 1u, j, acc1);
  if (RB == 4u) {
    storeRow(s, i + 2u, j, acc2);
    storeRow(s, i + 3u, j, acc3);
  }
}

const SUM_WG: u32 = 64u;
var<workgroup> red: array<f32, SUM_WG>;

@compute @workgroup_size(SUM_WG)
fn sumSplits(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
             @builtin(local_invocation_index) li: u32) {
  let lanes = p.lanes;
  let q = workgroupIndex(wg, nwg) * (SUM_WG / lanes) + li / lanes;
  let lane = li % lanes;
  let count = p.M * p.N;
  var sum = 0.0;
  if (q < count) {
    for (var s = lane; s < p.splits; s += lanes) { sum += partials[p.bOffset + s * count + q]; }
  }
  if (lanes > 1u) { sum = treeSum(sum, li, lanes); }
  if (q < count && lane == 0u) {
    let idx = p.cOffset + (q / p.N) * p.ldc + q % p.N;
    c[idx] = select(sum, sum + c[idx], p.accumulate != 0u);
  }
}
