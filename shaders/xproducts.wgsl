// xproducts.wgsl — the products with dense X of one MU or HALS step, for real GPUs (the 'hardware' plan).
//   xht:  C (rows × k) = V·Hᵀ over a row block of X:   C[i, r] = Σ_j V[i, j]·H[r, j]
//   wtx:  C (k × n)   = Wᵀ·V over a row block of X:   C[r, j] = Σ_i W[rowStart + i, r]·V[i, j]
// V is X itself (BETA_CLASS 2) or, for the multiplicative updates, a term formed on the fly from WH
// (never stored): the numerator X·WH^(β−2) as two factors (t, s) with t·s equal to it, t = X·WH^(β−1)
// and s = 1/WH for β < 2 (mu.wgsl's range-safe split; t = X/WH, s = 1 for β = 1), and with WANT_DEN
// the denominator term WH^(β−1) into a second output (den). HAS_X = false: the denominator only (CSR X,
// whose numerators come from sparse.wgsl). WH == 0 becomes EPSILON where β < 2 divides by it.
//
// A workgroup owns TM rows of X (xht) or TM columns (wtx) and all k ≤ KC components of its output; it
// walks one split of the reduction (columns of X for xht, rows for wtx) TK at a time: each step loads
// a TM × TK tile of X (neighbouring lanes on neighbouring addresses, vec4 loads when rows of X are
// whole vec4s) and the matching TK rows of the skinny factor (H's columns, W's rows) into shared
// memory; the rows of W (xht) or columns of H (wtx) that WH needs are loaded once per workgroup. Each
// invocation owns RM rows (columns) × 4 components: RM vec4 accumulators, twice with a denominator.
// Splits write partials[s·outputs + q] (den after all splits of num) for tiled.wgsl's sumSplits; one
// split writes C (or adds to it: later row blocks, later passes). Shapes are uniforms; the overrides
// shape the code (tile, capacity for k, β-class).

struct Params {
  rows: u32,        // rows of this block of X
  n: u32,
  k: u32,
  rowStart: u32,    // first row of this block in W
  xOffset: u32,     // first float of this block in the bound X buffer (a multiple of 4 with VEC4)
  cOffset: u32,     // xht: first float of this block's rows in C; wtx: 0
  chunk: u32,       // reduction length per split (a multiple of TK)
  splits: u32,
  kBase: u32,       // this pass's start along the reduction (columns for xht, rows for wtx)
  kLimit: u32,      // and its end
  tiles: u32,       // row tiles (xht) or column tiles (wtx)
  accumulate: u32,
  beta: f32,
}

override KC: u32 = 32u;        // component capacity: k ≤ KC (a power of two ≥ 4)
override TM: u32 = 32u;        // rows (xht) or columns (wtx) of X per workgroup
override RM: u32 = 4u;         // of those per invocation (1, 2 or 4)
override TK: u32 = 32u;        // reduction step (a multiple of 4)
override BETA_CLASS: u32 = 2u; // 2: V = X; 1: Kullback-Leibler; 0: Itakura-Saito; 3: other β
override HAS_X: bool = true;
override WANT_DEN: bool = false;
override VEC4: bool = false;
override KV: u32 = KC / 4u;
override THREADS: u32 = (TM / RM) * KV;
override VS: u32 = TM + 1u;    // row stride of the V tiles (padded: lanes write along either side)

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x4: array<vec4f>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
@group(0) @binding(5) var<storage, read_write> c: array<f32>;
@group(0) @binding(6) var<storage, read_write> den: array<f32>;
@group(0) @binding(7) var<storage, read_write> partials: array<f32>;

// Fs: the operand fixed for the workgroup (xht: W's rows; wtx: H's columns), Fs[t·KV + c] = its
// components 4c … 4c+3 of row (column) t. Ms: the operand of the current step (xht: H's columns;
// wtx: W's rows), Ms[q·KV + c]. V tiles: Vt, Vs (numerator factors), Vd (denominator), [q·VS + t].
var<workgroup> Fs: array<vec4f, TM * KV>;
var<workgroup> Ms: array<vec4f, TK * KV>;
var<workgroup> Vt: array<f32, TK * VS>;
var<workgroup> Vs: array<f32, TK * VS>;
var<workgroup> Vd: array<f32, TK * VS>;

fn needWH() -> bool { return BETA_CLASS != 2u || !HAS_X; }
fn twoFactors() -> bool { return BETA_CLASS == 0u || BETA_CLASS == 3u; }

/** (t, s, d) of one entry: numerator factors and denominator term (mu.wgsl's numFactors, denTerm). */
fn terms(xv: f32, wh: f32) -> vec3f {
  let safe = select(wh, EPSILON, wh == 0.0);
  var num = vec2f(xv, 1.0);
  if (BETA_CLASS == 1u) { num = vec2f(xv / safe, 1.0); }
  if (BETA_CLASS == 0u) { num = vec2f(xv / safe, 1.0 / safe); }
  if (BETA_CLASS == 3u) {
    if (p.beta < 2.0) { num = vec2f(xv * safePow(safe, p.beta - 1.0), 1.0 / safe); }
    else { num = vec2f(xv * safePow(wh, p.beta - 2.0), 1.0); }
  }
  var d = 0.0;
  if (WANT_DEN) {
    if (BETA_CLASS == 0u) { d = 1.0 / safe; } else { d = safePow(select(wh, safe, p.beta < 1.0), p.beta - 1.0); }
  }
  return vec3f(num, d);
}

/** V's tile entries from the loaded X (in Vt) and WH = Fs[t]·Ms[q]; zeros outside X. */
fn formTerms(li: u32, tLimit: u32, qLimit: u32) {
  for (var e = li; e < TM * TK; e += THREADS) {
    let t = e % TM;
    let q = e / TM;
    var v = vec3f(0.0);
    if (t < tLimit && q < qLimit) {
      var wh = 0.0;
      for (var cc = 0u; cc < KV; cc++) { wh += dot(Fs[t * KV + cc], Ms[q * KV + cc]); }
      var xv = 0.0;
      if (HAS_X) { xv = Vt[q * VS + t]; }
      v = terms(xv, wh);
    }
    Vt[q * VS + t] = v.x;
    Vs[q * VS + t] = v.y;
    Vd[q * VS + t] = v.z;
  }
}

struct Acc {
  n0: vec4f, n1: vec4f, n2: vec4f, n3: vec4f,
  d0: vec4f, d1: vec4f, d2: vec4f, d3: vec4f,
}

/** acc += V[tt·RM + u, :]ᵀ ⊗ Ms[:, tc] over this step (numerator, and denominator with WANT_DEN). */
fn accumulate(acc: ptr<function, Acc>, tt: u32, tc: u32) {
  for (var q = 0u; q < TK; q++) {
    let m = Ms[q * KV + tc];
    let base = q * VS + tt * RM;
    if (twoFactors()) {
      (*acc).n0 = fma(vec4f(Vt[base]) * m, vec4f(Vs[base]), (*acc).n0);
      if (RM > 1u) { (*acc).n1 = fma(vec4f(Vt[base + 1u]) * m, vec4f(Vs[base + 1u]), (*acc).n1); }
      if (RM > 2u) {
        (*acc).n2 = fma(vec4f(Vt[base + 2u]) * m, vec4f(Vs[base + 2u]), (*acc).n2);
        (*acc).n3 = fma(vec4f(Vt[base + 3u]) * m, vec4f(Vs[base + 3u]), (*acc).n3);
      }
    } else if (HAS_X) {
      (*acc).n0 = fma(vec4f(Vt[base]), m, (*acc).n0);
      if (RM > 1u) { (*acc).n1 = fma(vec4f(Vt[base + 1u]), m, (*acc).n1); }
      if (RM > 2u) {
        (*acc).n2 = fma(vec4f(Vt[base + 2u]), m, (*acc).n2);
        (*acc).n3 = fma(vec4f(Vt[base + 3u]), m, (*acc).n3);
      }
    }
    if (WANT_DEN) {
      (*acc).d0 = fma(vec4f(Vd[base]), m, (*acc).d0);
      if (RM > 1u) { (*acc).d1 = fma(vec4f(Vd[base + 1u]), m, (*acc).d1); }
      if (RM > 2u) {
        (*acc).d2 = fma(vec4f(Vd[base + 2u]), m, (*acc).d2);
        (*acc).d3 = fma(vec4f(Vd[base + 3u]), m, (*acc).d3);
      }
    }
  }
}

/** One output entry: C (+)= v with one split, else its partial (den after every split of num, if any). */
fn put(outputs: u32, s: u32, q: u32, idx: u32, v: f32, isDen: bool) {
  if (p.splits > 1u) {
    partials[(select(0u, p.splits, isDen && HAS_X) + s) * outputs + q] = v;
  } else if (isDen) {
    den[idx] = select(v, v + den[idx], p.accumulate != 0u);
  } else {
    c[idx] = select(v, v + c[idx], p.accumulate != 0u);
  }
}

/** Output u of the accumulators, its components 4·tc … 4·tc + 3: component r goes to entry base + r·stride. */
fn putOutput(acc: Acc, u: u32, tc: u32, outputs: u32, s: u32, base: u32, stride: u32) {
  var nv: vec4f;
  var dv: vec4f;
  switch (u) {
    case 0u: { nv = acc.n0; dv = acc.d0; }
    case 1u: { nv = acc.n1; dv = acc.d1; }
    case 2u: { nv = acc.n2; dv = acc.d2; }
    default: { nv = acc.n3; dv = acc.d3; }
  }
  for (var cc = 0u; cc < 4u; cc++) {
    let r = 4u * tc + cc;
    if (r < p.k) {
      let q = base + r * stride;
      if (HAS_X) { put(outputs, s, q, p.cOffset + q, nv[cc], false); }
      if (WANT_DEN) { put(outputs, s, q, p.cOffset + q, dv[cc], true); }
    }
  }
}

/** This split's range along the reduction: [start, end). */
fn splitRange(s: u32, total: u32) -> vec2u {
  let start = p.kBase + s * p.chunk;
  return vec2u(start, min(min(total, p.kLimit), start + p.chunk));
}

@compute @workgroup_size(THREADS)
fn xht(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let id = workgroupIndex(wg, nwg);
  let s = id / p.tiles;
  if (s >= p.splits) { return; } // past the end of a folded grid (the whole workgroup)
  let row0 = (id % p.tiles) * TM;
  let range = splitRange(s, p.n);
  let tc = li % KV;
  let tt = li / KV;
  let rowsHere = min(TM, p.rows - min(row0, p.rows));
  if (needWH()) {
    // W's rows of this tile: TM·k consecutive floats
    for (var e = li; e < rowsHere * p.k; e += THREADS) {
      let r = e % p.k;
      Fs[(e / p.k) * KV + r / 4u][r % 4u] = w[(p.rowStart + row0) * p.k + e];
    }
  }
  var acc: Acc;
  for (var q0 = range.x; q0 < range.y; q0 += TK) {
    let qLimit = min(TK, range.y - q0);
    // H's columns q0 … q0 + TK − 1: lanes along the columns
    for (var e = li; e < TK * KC; e += THREADS) {
      let q = e % TK;
      let r = e / TK;
      var v = 0.0;
      if (q < qLimit && r < p.k) { v = h[r * p.n + q0 + q]; }
      Ms[q * KV + r / 4u][r % 4u] = v;
    }
    if (HAS_X) {
      if (VEC4) {
        for (var e = li; e < TM * TK / 4u; e += THREADS) {
          let q4 = e % (TK / 4u);
          let t = e / (TK / 4u);
          var v = vec4f(0.0);
          if (t < rowsHere && 4u * q4 < qLimit) { v = x4[(p.xOffset + (row0 + t) * p.n + q0) / 4u + q4]; }
          Vt[4u * q4 * VS + t] = v.x;
          Vt[(4u * q4 + 1u) * VS + t] = v.y;
          Vt[(4u * q4 + 2u) * VS + t] = v.z;
          Vt[(4u * q4 + 3u) * VS + t] = v.w;
        }
      } else {
        for (var e = li; e < TM * TK; e += THREADS) {
          let q = e % TK;
          let t = e / TK;
          var v = 0.0;
          if (t < rowsHere && q < qLimit) { v = x[p.xOffset + (row0 + t) * p.n + q0 + q]; }
          Vt[q * VS + t] = v;
        }
      }
    }
    workgroupBarrier();
    if (needWH()) {
      formTerms(li, rowsHere, qLimit);
      workgroupBarrier();
    }
    accumulate(&acc, tt, tc);
    workgroupBarrier();
  }
  let outputs = p.rows * p.k;
  for (var u = 0u; u < RM; u++) {
    let row = row0 + tt * RM + u;
    if (row >= p.rows) { break; }
    putOutput(acc, u, tc, outputs, s, row * p.k, 1u);
  }
}

@compute @workgroup_size(THREADS)
fn wtx(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let id = workgroupIndex(wg, nwg);
  let s = id / p.tiles;
  if (s >= p.splits) { return; }
  let col0 = (id % p.tiles) * TM;
  let range = splitRange(s, p.rows);
  let tc = li % KV;
  let tt = li / KV;
  let colsHere = min(TM, p.n - min(col0, p.n));
  if (needWH()) {
    // H's columns of this tile: lanes along the columns
    for (var e = li; e < TM * p.k; e += THREADS) {
      let t = e % TM;
      let r = e / TM;
      var v = 0.0;
      if (t < colsHere) { v = h[r * p.n + col0 + t]; }
      Fs[t * KV + r / 4u][r % 4u] = v;
    }
  }
  var acc: Acc;
  for (var q0 = range.x; q0 < range.y; q0 += TK) {
    let qLimit = min(TK, range.y - q0);
    // W's rows q0 … q0 + TK − 1 of this block: TK·k consecutive floats
    for (var e = li; e < TK * KC; e += THREADS) {
      let q = e / KC;
      let r = e % KC;
      var v = 0.0;
      if (q < qLimit && r < p.k) { v = w[(p.rowStart + q0 + q) * p.k + r]; }
      Ms[q * KV + r / 4u][r % 4u] = v;
    }
    if (HAS_X) {
      if (VEC4) {
        for (var e = li; e < TM * TK / 4u; e += THREADS) {
          let t4 = e % (TM / 4u);
          let q = e / (TM / 4u);
          var v = vec4f(0.0);
          if (q < qLimit && 4u * t4 < colsHere) { v = x4[(p.xOffset + (q0 + q) * p.n + col0) / 4u + t4]; }
          let base = q * VS + 4u * t4;
          Vt[base] = v.x;
          Vt[base + 1u] = v.y;
          Vt[base + 2u] = v.z;
          Vt[base + 3u] = v.w;
        }
      } else {
        for (var e = li; e < TM * TK; e += THREADS) {
          let t = e % TM;
          let q = e / TM;
          var v = 0.0;
          if (q < qLimit && t < colsHere) { v = x[p.xOffset + (q0 + q) * p.n + col0 + t]; }
          Vt[q * VS + t] = v;
        }
      }
    }
    workgroupBarrier();
    if (needWH()) {
      formTerms(li, colsHere, qLimit);
      workgroupBarrier();
    }
    accumulate(&acc, tt, tc);
    workgroupBarrier();
  }
  let outputs = p.k * p.n;
  for (var u = 0u; u < RM; u++) {
    let col = col0 + tt * RM + u;
    if (col >= p.n) { break; }
    putOutput(acc, u, tc, outputs, s, col, p.n);
  }
}
