// pg.wgsl — the steps of scikit-learn 0.18's projected-gradient NNLS subproblems ('pg', Lin 2007).
// The factor F being solved is read through strides, so one kernel serves both subproblems:
//   W (m×k): vector v is row v,    F(v, r) = f[v·k + r]   (vStride k, rStride 1)
//   H (k×n): vector v is column v, F(v, r) = f[r·n + v]   (vStride 1, rStride n)
// G (k×k, symmetric) is the subproblem's Gram matrix (H·Hᵀ for W, Wᵀ·W for H, with the sparseness
// changes), C the cross product in F's layout (X·Hᵀ for W, Wᵀ·X for H). One thread per vector.
//   gram:     G = G₀ + gramDiag·I + gramAll·11ᵀ
//   gradient: ∇ = G·F − C (+ l1 + l2·F); partials of ‖P[∇]‖² (slot 0) and ‖∇‖² (slot fullSlot),
//             P[∇] keeping the entries where ∇ < 0 or F > 0
//   trial:    F_t = max(F − γ·∇, 0), d = F_t − F; partials of ⟨∇, d⟩ (slot 1), Σ_v d_vᵀ·G·d_v (slot 2),
//             and the count of entries where F_t differs from F (compare 0) or F_previous (1) (slot 3)
//   projnorm: partials of ‖P[∇]‖² for the current F and its stored ∇ (slot fullSlot)
//   sums:     out[s] = Σ_g partials[s·partialStride + g], one workgroup per slot
// Partials: one per workgroup, partialStride = the workgroups of a per-vector dispatch (every
// dispatch writes all of its slot's partials, so a slot never mixes in stale values).
// TEAM lanes share a vector, each taking components r = lane, lane + TEAM, …: 1 on the 'software'
// plan (a vector per invocation), more on the 'hardware' plan so that a sweep over n vectors launches
// n·TEAM / 64 workgroups. The trial's dᵀGd recomputes each d_s from F and ∇ (the same arithmetic as
// F_trial's), so no lane waits for another's writes.

struct Params {
  count: u32,
  k: u32,
  vStride: u32,
  rStride: u32,
  partialStride: u32,
  fullSlot: u32,
  compare: u32,
  gramDiag: f32,
  gramAll: f32,
  l1: f32,
  l2: f32,
  gamma: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> f: array<f32>;
@group(0) @binding(2) var<storage, read> c: array<f32>;
@group(0) @binding(3) var<storage, read_write> g: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<storage, read_write> ft: array<f32>;
@group(0) @binding(6) var<storage, read> fp: array<f32>;
@group(0) @binding(7) var<storage, read_write> partials: array<f32>;
@group(0) @binding(8) var<storage, read> gram0: array<f32>;
@group(0) @binding(9) var<storage, read_write> out: array<f32>;

const WG: u32 = 64u;
const SUM_WG: u32 = 64u;
override TEAM: u32 = 1u;
var<workgroup> red0: array<f32, WG>;
var<workgroup> red1: array<f32, WG>;
var<workgroup> red2: array<f32, WG>;
var<workgroup> redSum: array<f32, SUM_WG>;

@compute @workgroup_size(WG)
fn gram(@builtin(global_invocation_id) gid: vec3u) {
  let q = gid.x;
  if (q >= p.k * p.k) { return; }
  let r = q / p.k;
  let s = q % p.k;
  g[q] = gram0[q] + p.gramAll + select(0.0, p.gramDiag, r == s);
}

/**
 * Sum three per-thread values over the workgroup into red0[0], red1[0], red2[0] (thread 0). One
 * barrier and a serial sum: barriers are what software GPUs (SwiftShader) pay most for.
 */
fn reduce3(li: u32) {
  workgroupBarrier();
  if (li == 0u) {
    for (var i = 1u; i < WG; i++) {
      red0[0] += red0[i];
      red1[0] += red1[i];
      red2[0] += red2[i];
    }
  }
}

@compute @workgroup_size(WG)
fn gradient(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
            @builtin(local_invocation_index) li: u32) {
  let group = workgroupIndex(wg, nwg);
  let v = group * (WG / TEAM) + li / TEAM;
  let lane = li % TEAM;
  var projected = 0.0;
  var full = 0.0;
  if (v < p.count) {
    let o = v * p.vStride;
    let penalty = p.l1 != 0.0 || p.l2 != 0.0;
    for (var r = lane; r < p.k; r += TEAM) {
      var s = 0.0;
      for (var t = 0u; t < p.k; t++) { s += g[r * p.k + t] * f[o + t * p.rStride]; }
      let q = o + r * p.rStride;
      let fq = f[q];
      var gq = s - c[q];
      if (penalty) { gq += p.l1 + p.l2 * fq; }
      grad[q] = gq;
      full += gq * gq;
      if (gq < 0.0 || fq > 0.0) { projected += gq * gq; }
    }
  }
  red0[li] = projected;
  red1[li] = full;
  red2[li] = 0.0;
  reduce3(li);
  if (li == 0u && group < p.partialStride) {
    partials[group] = red0[0];
    partials[p.fullSlot * p.partialStride + group] = red1[0];
  }
}

@compute @workgroup_size(WG)
fn trial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
         @builtin(local_invocation_index) li: u32) {
  let group = workgroupIndex(wg, nwg);
  let v = group * (WG / TEAM) + li / TEAM;
  let lane = li % TEAM;
  var gradd = 0.0;
  var dQd = 0.0;
  var differ = 0.0;
  if (v < p.count) {
    let o = v * p.vStride;
    for (var r = lane; r < p.k; r += TEAM) {
      let q = o + r * p.rStride;
      let t = max(f[q] - p.gamma * grad[q], 0.0);
      ft[q] = t;
      gradd += grad[q] * (t - f[q]);
      let other = select(f[q], fp[q], p.compare == 1u);
      if (t != other) { differ += 1.0; }
    }
    for (var r = lane; r < p.k; r += TEAM) {
      var gd = 0.0;
      for (var s = 0u; s < p.k; s++) {
        let qs = o + s * p.rStride;
        gd += g[r * p.k + s] * (max(f[qs] - p.gamma * grad[qs], 0.0) - f[qs]);
      }
      let q = o + r * p.rStride;
      dQd += gd * (ft[q] - f[q]);
    }
  }
  red0[li] = gradd;
  red1[li] = dQd;
  red2[li] = differ;
  reduce3(li);
  if (li == 0u && group < p.partialStride) {
    partials[p.partialStride + group] = red0[0];
    partials[2u * p.partialStride + group] = red1[0];
    partials[3u * p.partialStride + group] = red2[0];
  }
}

@compute @workgroup_size(WG)
fn projnorm(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
            @builtin(local_invocation_index) li: u32) {
  let group = workgroupIndex(wg, nwg);
  let v = group * (WG / TEAM) + li / TEAM;
  let lane = li % TEAM;
  var projected = 0.0;
  if (v < p.count) {
    let o = v * p.vStride;
    for (var r = lane; r < p.k; r += TEAM) {
      let q = o + r * p.rStride;
      let gq = grad[q];
      if (gq < 0.0 || f[q] > 0.0) { projected += gq * gq; }
    }
  }
  red0[li] = projected;
  red1[li] = 0.0;
  red2[li] = 0.0;
  reduce3(li);
  if (li == 0u && group < p.partialStride) { partials[p.fullSlot * p.partialStride + group] = red0[0]; }
}

@compute @workgroup_size(SUM_WG)
fn sums(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let slot = wg.x;
  var s = 0.0;
  for (var i = li; i < p.partialStride; i += SUM_WG) { s += partials[slot * p.partialStride + i]; }
  redSum[li] = s;
  workgroupBarrier();
  if (li == 0u) {
    var total = 0.0;
    for (var i = 0u; i < SUM_WG; i++) { total += redSum[i]; }
    out[slot] = total;
  }
}
