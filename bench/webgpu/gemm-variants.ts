// Investigation only (not webnmf code): two rewrites of gemm.wgsl's inner block, C = A·B row-major,
// timed beside it to show what its speed on SwiftShader hinges on. Both keep a 4×4 block of C per
// thread, but in four vec4f accumulators instead of function-scope arrays indexed in loops:
//   tiled:  gemm.wgsl's 32×32 workgroup tile through workgroup memory, TILE_K = 8
//   direct: no workgroup memory and no barrier, every operand straight from storage (jax-js's shape)

const HEADER = /* wgsl */ `
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32, ldc: u32, aOffset: u32, bOffset: u32, cOffset: u32, accumulate: u32, }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

fn store4(i: u32, j: u32, v: vec4f) {
  if (i >= p.M) { return; }
  for (var t = 0u; t < 4u; t++) { if (j + t < p.N) { c[i * p.ldc + j + t] = v[t]; } }
}
fn loadB4(q: u32, j: u32) -> vec4f {
  var v = vec4f(0.0);
  if (q < p.K) {
    if (j < p.N) { v.x = b[q * p.ldb + j]; }
    if (j + 1u < p.N) { v.y = b[q * p.ldb + j + 1u]; }
    if (j + 2u < p.N) { v.z = b[q * p.ldb + j + 2u]; }
    if (j + 3u < p.N) { v.w = b[q * p.ldb + j + 3u]; }
  }
  return v;
}
fn loadA(i: u32, q: u32) -> f32 { return select(0.0, a[min(i, p.M - 1u) * p.lda + min(q, p.K - 1u)], i < p.M && q < p.K); }
`;

export const GEMM_VEC4_TILED = HEADER + /* wgsl */ `
var<workgroup> aTile: array<f32, 256>;   // aTile[pp·32 + ii]
var<workgroup> bTile: array<vec4f, 64>;  // bTile[pp·8 + tx] = B(p0 + pp, col0 + 4tx … 4tx + 3)
@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * 32u;
  let col0 = wg.x * 32u;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  for (var p0 = 0u; p0 < p.K; p0 += 8u) {
    for (var e = li; e < 256u; e += 64u) { aTile[(e % 8u) * 32u + e / 8u] = loadA(row0 + e / 8u, p0 + e % 8u); }
    bTile[li] = loadB4(p0 + li / 8u, col0 + (li % 8u) * 4u);
    workgroupBarrier();
    for (var pp = 0u; pp < 8u; pp++) {
      let bv = bTile[pp * 8u + lid.x];
      let base = pp * 32u + lid.y * 4u;
      acc0 = fma(vec4f(aTile[base]), bv, acc0);
      acc1 = fma(vec4f(aTile[base + 1u]), bv, acc1);
      acc2 = fma(vec4f(aTile[base + 2u]), bv, acc2);
      acc3 = fma(vec4f(aTile[base + 3u]), bv, acc3);
    }
    workgroupBarrier();
  }
  let i = row0 + lid.y * 4u;
  let j = col0 + lid.x * 4u;
  store4(i, j, acc0); store4(i + 1u, j, acc1); store4(i + 2u, j, acc2); store4(i + 3u, j, acc3);
}`;

export const GEMM_VEC4_DIRECT = HEADER + /* wgsl */ `
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * 4u;
  let j = gid.x * 4u;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  for (var q = 0u; q < p.K; q++) {
    let bv = loadB4(q, j);
    acc0 = fma(vec4f(loadA(i, q)), bv, acc0);
    acc1 = fma(vec4f(loadA(i + 1u, q)), bv, acc1);
    acc2 = fma(vec4f(loadA(i + 2u, q)), bv, acc2);
    acc3 = fma(vec4f(loadA(i + 3u, q)), bv, acc3);
  }
  store4(i, j, acc0); store4(i + 1u, j, acc1); store4(i + 2u, j, acc2); store4(i + 3u, j, acc3);
}`;

/** A pipeline and bind group for one variant over (uniforms, A, B, C); 32×32 of C per workgroup. */
export function variantLaunch(device: GPUDevice, code: string, label: string, buffers: { params: GPUBuffer; a: GPUBuffer; b: GPUBuffer; c: GPUBuffer }, M: number, N: number) {
  const module = device.createShaderModule({ label, code });
  const pipeline = device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bindGroup = device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: [buffers.params, buffers.a, buffers.b, buffers.c].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return { label, pipeline, bindGroup, grid: [Math.ceil(N / 32), Math.ceil(M / 32)] as [number, number] };
}
