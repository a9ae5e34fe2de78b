// Writes shaders/generated/skinny.wgsl, whole, from the template shaders/templates/skinny.wgsl: each
// template line `{{name}}` becomes the unrolled per-k lines REGIONS[name] below, indented like it.
// The skinny kernels (skinnyNT, skinnyTN) keep one accumulator per output of k (up to K_MAX), named
// c0 … c31 rather than an array: an array indexed in a loop is kept in memory by SwiftShader (and other
// CPU-like WebGPU), named locals live in registers, and KC (= k) is an override, so the lines guarded
// by `KC > r` past k are dead code. Run through scripts/generate.mjs (npm run build:generated).

export const template = 'shaders/templates/skinny.wgsl';
export const target = 'shaders/generated/skinny.wgsl';
/** Accumulators per kernel: the skinny kernels serve k ≤ K_MAX (= SKINNY_MAX_K in src/backend/webgpu/programs/gemm.ts). */
export const K_MAX = 32;

const ks = [...Array(K_MAX).keys()];
/** One line per r < K_MAX, run only when r < KC. */
const guarded = (body) => ks.map((r) => `if (KC > ${r}u) { ${body(r)} }`);
/** `var <name>0 = … ;` to `var <name>31 = … ;` for each name. */
const vars = (names, init) => names.flatMap((v) => ks.map((r) => `var ${v}${r} = ${init};`));

const REGIONS = {
  // skinnyNT: c<r>, d<r> = C[rows 0 … 3 / 4 … 7, r]; w<r> = W[rows 0 … 3, r] (DIVIDE)
  'nt-vars': () => vars(['c', 'd', 'w'], 'vec4f(0.0)'),
  'nt-load-w': () => guarded((r) => `w${r} = vec4f(w[ws.x + ${r}u], w[ws.y + ${r}u], w[ws.z + ${r}u], w[ws.w + ${r}u]);`),
  'nt-divide': () =>
    guarded((r) => `let h = hv[hb + ${r}u * (LDB / 4u) + q]; s0 += w${r}.x * h; s1 += w${r}.y * h; s2 += w${r}.z * h; s3 += w${r}.w * h;`),
  'nt-accumulate': () =>
    guarded(
      (r) =>
        `let h = hv[hb + ${r}u * (LDB / 4u) + q]; c${r} += vec4f(dot(v0, h), dot(v1, h), dot(v2, h), dot(v3, h)); ` +
        `if (NT_ROWS == 8u) { d${r} += vec4f(dot(v4, h), dot(v5, h), dot(v6, h), dot(v7, h)); }`,
    ),
  'nt-store': () =>
    guarded(
      (r) => `storeRows(out + vec4u(${r}u), live, c${r}); if (NT_ROWS == 8u) { storeRows(outMore + vec4u(${r}u), liveMore, d${r}); }`,
    ),

  // skinnyTN: c<r>, d<r> = C[r, columns j0 … +3 / +4 … +7]; h<r>, e<r> = H[r, the same columns] (DIVIDE);
  // w<r> = W[i, r] for the current row i
  'tn-vars': () => vars(['c', 'd', 'h', 'e'], 'vec4f(0.0)'),
  'tn-load-h': () => guarded((r) => `h${r} = hv[(${r}u * LDC + j0) / 4u];`),
  'tn-load-e': () => guarded((r) => `e${r} = hv[(${r}u * LDC) / 4u + xh - p.bOffset / 4u];`),
  'tn-w-vars': () => vars(['w'], '0.0'),
  'tn-load-wv': () =>
    ks
      .filter((r) => r % 4 === 0)
      .map((r) => `if (KC > ${r}u) { let t = wv[wi / 4u + ${r / 4}u]; w${r} = t.x; w${r + 1} = t.y; w${r + 2} = t.z; w${r + 3} = t.w; }`),
  'tn-load-w': () => guarded((r) => `w${r} = w[wi + ${r}u];`),
  'tn-divide': () => guarded((r) => `s += w${r} * h${r}; z += w${r} * e${r};`),
  'tn-accumulate': () => guarded((r) => `c${r} += w${r} * v; d${r} += w${r} * u;`),
  'tn-store': () =>
    guarded((r) => `storeCols(p.cOffset + ${r}u * LDC + j0, c${r}); if (wide) { storeCols(p.cOffset + ${r}u * LDC + j0 + 4u, d${r}); }`),
};

const PLACEHOLDER = /^( *)\{\{([\w-]+)\}\}$/;

/** The generated shader for the template's text; throws on an unknown, repeated or missing placeholder. */
export function expandSkinny(text) {
  const seen = new Set();
  const lines = text.split('\n').flatMap((line, n) => {
    const m = line.match(PLACEHOLDER);
    if (!m) return [line];
    const [, indent, name] = m;
    if (!REGIONS[name]) throw new Error(`${template}:${n + 1}: unknown placeholder {{${name}}}`);
    if (seen.has(name)) throw new Error(`${template}:${n + 1}: placeholder {{${name}}} appears twice`);
    seen.add(name);
    return REGIONS[name]().map((l) => indent + l);
  });
  const missing = Object.keys(REGIONS).filter((name) => !seen.has(name));
  if (missing.length) throw new Error(`${template} lacks placeholders: ${missing.join(', ')}`);
  return `// Generated from ${template} by scripts/generate.mjs (npm run build:generated). Do not edit.\n${lines.join('\n')}`;
}
