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
// Register-block sizes size function-scope arrays, which WGSL requires to be const.
const RM: u32 = 4u;
const RN: u32 = 4u;
override TILE_M: u32 = WG_M * RM;
override TILE_N: u32 = WG_N * RN;

var<workgroup> aTile: array<f32, TILE_K * TILE_M>; // aTile[pp·TILE_M + ii] = A(row0 + ii, p0 + pp)
var<workgroup> bTile: array<f32, TILE_K * TILE_N>; // bTile[pp·TILE_N + jj] = B(p0 + pp, col0 + jj)

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

@compute @workgroup_size(WG_N, WG_M)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TILE_M;
  let col0 = wg.x * TILE_N;
  let threads = WG_M * WG_N;
  var acc: array<f32, RM * RN>;
  for (var p0 = 0u; p0 < p.K; p0 += TILE_K) {
    // Consecutive threads read consecutive addresses: along p when A is row-major, along i when transposed.
    for (var e = li; e < TILE_K * TILE_M; e += threads) {
      var ii = e / TILE_K;
      var pp = e % TILE_K;
      if (TRANS_A) { ii = e % TILE_M; pp = e / TILE_M; }
      aTile[pp * TILE_M + ii] = loadA(row0 + ii, p0 + pp);
    }
    for (var e = li; e < TILE_K * TILE_N; e += threads) {
      var jj = e % TILE_N;
      var pp = e / TILE_N;
      if (TRANS_B) { jj = e / TILE_K; pp = e % TILE_K; }
      bTile[pp * TILE_N + jj] = loadB(p0 + pp, col0 + jj);
    }
    workgroupBarrier();
    for (var pp = 0u; pp < TILE_K; pp++) {
      var ar: array<f32, RM>;
      var br: array<f32, RN>;
      for (var u = 0u; u < RM; u++) { ar[u] = aTile[pp * TILE_M + lid.y + u * WG_M]; }
      for (var v = 0u; v < RN; v++) { br[v] = bTile[pp * TILE_N + lid.x + v * WG_N]; }
      for (var u = 0u; u < RM; u++) {
        for (var v = 0u; v < RN; v++) { acc[u * RN + v] = fma(ar[u], br[v], acc[u * RN + v]); }
      }
    }
    workgroupBarrier();
  }
  for (var u = 0u; u < RM; u++) {
    let i = row0 + lid.y + u * WG_M;
    for (var v = 0u; v < RN; v++) {
      let j = col0 + lid.x + v * WG_N;
      if (i < p.M && j < p.N) {
        let idx = p.cOffset + i * p.ldc + j;
        var value = acc[u * RN + v];
        if (p.accumulate != 0u) { value += c[idx]; }
        c[idx] = value;
      }
    }
  }
}
