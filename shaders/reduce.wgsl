// reduce.wgsl — out[outIndex] = Σ_{i < count} a[i]·b[i], in one workgroup.
// With b = ones it sums per-workgroup partials (the HALS violation, the β-divergence); with two k×k
// matrices it is ⟨A, B⟩ (‖WH‖² = ⟨WᵀW, HHᵀ⟩, Σ WH = ⟨colsums W, rowsums H⟩).

struct Params {
  count: u32,
  outIndex: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const WG: u32 = 256u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  for (var i = li; i < p.count; i += WG) { s = fma(a[i], b[i], s); }
  let sum = treeSum(s, li, WG);
  if (li == 0u) { out[p.outIndex] = sum; }
}
