// Assembles the CPU backend's WebAssembly kernels (src/backend/cpu/*.wat, SIMD) into one module,
// written to src/backend/cpu/gemm-wasm.ts as base64 strings the backend compiles at run time. The
// output is committed, so building the library needs no wabt; rerun `npm run build:generated` (or its
// alias `npm run build:wasm`) after editing a .wat file: scripts/generate.mjs writes it, and its
// `--check` (test/generated.test.ts) says whether gemm-wasm.ts is up to date.
//
// The one rule: the module is `(module (import "env" "memory" …) PARTS…)`, the parts in the order
// below. A part that mentions {T} is written once per float type, its placeholders replaced:
//
//   {T}            f64                  f32                 scalar type
//   {V}            f64x2                f32x4               vector shape
//   {S}            8                    4                   bytes per element
//   {S2}           16                   8                   bytes of two elements
//   {SPLAT}        v128.load64_splat    v128.load32_splat   load one element into every lane
//   {BLOCK_BYTES}  512                  256                 64 elements (hals.wat's row blocks)
//
// Two variants of the whole text:
//   GEMM_WASM_BASE64         imports a plain memory (one thread).
//   GEMM_WASM_SHARED_BASE64  the memory import declared shared (wabt feature `threads`), for a
//                            workspace whose kernels run on worker threads. The only change is the
//                            import; the functions are byte-for-byte the same.

import wabt from 'wabt';

const PARTS = ['gemm.wat', 'lanes.wat', 'sparse.wat', 'sample.wat', 'hals.wat', 'mu.wat', 'la.wat'];
const FLOAT_TYPES = [
  { T: 'f64', V: 'f64x2', S: '8', S2: '16', SPLAT: 'v128.load64_splat', BLOCK_BYTES: '512' },
  { T: 'f32', V: 'f32x4', S: '4', S2: '8', SPLAT: 'v128.load32_splat', BLOCK_BYTES: '256' },
];
const MEMORY_IMPORT = '(import "env" "memory" (memory 1))';
/** A shared memory must declare a maximum: 65536 pages is wasm32's whole 4 GiB. */
const SHARED_MEMORY_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';

const root = 'src/backend/cpu/';
export const target = `${root}gemm-wasm.ts`;

/** A part as written, or once per float type when it is generic. */
function expand(name, text) {
  if (!text.includes('{T}')) return text;
  return FLOAT_TYPES.map((types) => {
    const out = text.replace(/\{(\w+)\}/g, (all, key) => {
      if (!(key in types)) throw new Error(`${name}: unknown placeholder ${all}`);
      return types[key];
    });
    return `;; ${name} for ${types.T}\n${out}`;
  }).join('\n');
}

/** The module's bytes; no name section, so they depend only on the code, not on local names. */
function assemble(assembler, text, features) {
  const module = assembler.parseWat('kernels.wat', text, features);
  try {
    module.resolveNames();
    module.validate(features);
    return Buffer.from(module.toBinary({ write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

/** gemm-wasm.ts's text for the current .wat parts; `read(path)` reads a file relative to the repository root. */
export async function wasmModuleText(read) {
  const parts = await Promise.all(PARTS.map(async (name) => expand(name, await read(`${root}${name}`))));
  const source = (memoryImport) => `(module\n${memoryImport}\n${parts.join('\n')}\n)\n`;
  const assembler = await wabt();
  const plain = assemble(assembler, source(MEMORY_IMPORT), { simd: true });
  const shared = assemble(assembler, source(SHARED_MEMORY_IMPORT), { simd: true, threads: true });
  return (
    `// Generated from ${PARTS.join(', ')} by \`npm run build:wasm\` (scripts/build-wasm.mjs). Do not edit.\n` +
    `// WebAssembly (SIMD), base64: ${plain.length} bytes importing a plain memory, ${shared.length} a shared one.\n\n` +
    `export const GEMM_WASM_BASE64 =\n  '${plain.toString('base64')}';\n\n` +
    `export const GEMM_WASM_SHARED_BASE64 =\n  '${shared.toString('base64')}';\n`
  );
}
