// gemm.wgsl — C = op(A)·op(B), or C += op(A)·op(B) when accumulating (row blocks of X add up).
//   C[i, j] = Σ_p A(i, p)·B(p, j),   i < M, j < N, p < K
//   A(i, p) = a[aOffset + (TRANS_A ? p·lda + i : i·lda + p)],   B(p, j) likewise with ldb, TRANS_B.
// Serves X·Hᵀ, Wᵀ·X, Wᵀ·W, H·Hᵀ, W·(HHᵀ), (WᵀW)·H and, with B = ones, row and column sums.
// Register tiling: a workgroup of WG_M × WG_N threads owns a TILE_M × TILE_N tile of C, each thread
// an RM × RN block of it in registers; A and B pass through workgroup memory TILE_K at a time.

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
  accumulate: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override WG_M: u32 = 8u;
override WG_N: u32 = 8u;
override TILE_K: u32 = 8u;
// The register block is a fixed 4 × 4 (RM × RN), held in four vec4f accumulators, one per row of the
// block, fully unrolled: no function-scope array indexed in a loop (SwiftShader, and some GPU
// compilers, keep those in memory). Thread (lid.y, lid.x) owns rows row0 + lid.y + u·WG_M and columns
// col0 + lid.x + v·WG_N, u, v < 4, so neighbouring threads still store neighbouring columns.
const RM: u32 = 4u;
const RN: u32 = 4u;
override TILE_M: u32 = WG_M * RM;
override TILE_N: u32 = WG_N * RN;

// aTile[pp·WG_M + ty][u] = A(row0 + ty + u·WG_M, p0 + pp);  bTile[pp·WG_N + tx][v] = B(p0 + pp, col0 + tx + v·WG_N).
// Each vec4f is written whole by one thread (a write to one component may touch the whole vector).
var<workgroup> aTile: array<vec4f, TILE_K * WG_M>;
var<workgroup> bTile: array<vec4f, TILE_K * WG_N>;

fn loadA(i: u32, q: u32) -> f32 {
  if (i >= p.M || q >= p.K) { return 0.0; }
  if (TRANS_A) { return a[p.aOffset + q * p.lda + i]; }
  return a[p.aOffset + i * p.lda + q];
}

fn loadB(q: u32, j: u32) -> f32 {
  if (q >= p.K || j >= p.N) { return 0.0; }
  if (TRANS_B) { return b[p.bOffset + j * p.ldb + q]; }
  return b[p.bOffset + q * p.ldb + j];
}

fn store(i: u32, j: u32, acc: f32) {
  if (i < p.M && j < p.N) {
    let idx = p.cOffset + i * p.ldc + j;
    var value = acc;
    if (p.accumulate != 0u) { value += c[idx]; }
    c[idx] = value;
  }
}

fn storeRow(i: u32, j: u32, acc: vec4f) {
  store(i, j, acc.x);
  store(i, j + WG_N, acc.y);
  store(i, j + 2u * WG_N, acc.z);
  store(i, j + 3u * WG_N, acc.w);
}

@compute @workgroup_size(WG_N, WG_M)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TILE_M;
  let col0 = wg.x * TILE_N;
  let threads = WG_M * WG_N;
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var p0 = 0u; p0 < p.K; p0 += TILE_K) {
    // Consecutive threads read consecutive addresses: along p when A is row-major, along i when transposed.
    for (var e = li; e < TILE_K * WG_M; e += threads) {
      var ty = e / TILE_K;
      var pp = e % TILE_K;
      if (TRANS_A) { ty = e % WG_M; pp = e / WG_M; }
      let i = row0 + ty;
      let q = p0 + pp;
      aTile[pp * WG_M + ty] = vec4f(loadA(i, q), loadA(i + WG_M, q), loadA(i + 2u * WG_M, q), loadA(i + 3u * WG_M, q));
    }
    for (var e = li; e < TILE_K * WG_N; e += threads) {
      var tx = e % WG_N;
      var pp = e / WG_N;
      if (TRANS_B) { tx = e / TILE_K; pp = e % TILE_K; }
      let j = col0 + tx;
      let q = p0 + pp;
      bTile[pp * WG_N + tx] = vec4f(loadB(q, j), loadB(q, j + WG_N), loadB(q, j + 2u * WG_N), loadB(q, j + 3u * WG_N));
    }
    workgroupBarrier();
    for (var pp = 0u; pp < TILE_K; pp++) {
      let av = aTile[pp * WG_M + lid.y];
      let bv = bTile[pp * WG_N + lid.x];
      acc0 = fma(vec4f(av.x), bv, acc0);
      acc1 = fma(vec4f(av.y), bv, acc1);
      acc2 = fma(vec4f(av.z), bv, acc2);
      acc3 = fma(vec4f(av.w), bv, acc3);
    }
    workgroupBarrier();
  }
  let i = row0 + lid.y;
  let j = col0 + lid.x;
  storeRow(i, j, acc0);
  storeRow(i + WG_M, j, acc1);
  storeRow(i + 2u * WG_M, j, acc2);
  storeRow(i + 3u * WG_M, j, acc3);
}
