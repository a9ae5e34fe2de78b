// Assembles src/backend/cpu/gemm.wat (WebAssembly text, SIMD) into src/backend/cpu/gemm-wasm.ts,
// base64 strings the CPU backend compiles at run time. The output is committed, so building the
// library needs no wabt; rerun `npm run build:wasm` after editing gemm.wat. With `--check` nothing
// is written: the exit code says whether gemm-wasm.ts is up to date (test/cpu-gemm.test.ts runs it).
//
// Two variants of the same text:
//   GEMM_WASM_BASE64         gemm.wat as written: imports a plain memory (one thread).
//   GEMM_WASM_SHARED_BASE64  the memory import declared shared (wabt feature `threads`), for a
//                            workspace whose kernels run on worker threads. The only change is
//                            the one substitution below; the functions are byte-for-byte the same.

import { readFile, writeFile } from 'node:fs/promises';
import wabt from 'wabt';

const MEMORY_IMPORT = '(import "env" "memory" (memory 1))';
/** A shared memory must declare a maximum: 65536 pages is wasm32's whole 4 GiB. */
const SHARED_MEMORY_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';

const root = new URL('../src/backend/cpu/', import.meta.url);
const source = await readFile(new URL('gemm.wat', root), 'utf8');
if (source.split(MEMORY_IMPORT).length !== 2) throw new Error(`gemm.wat must contain ${MEMORY_IMPORT} exactly once`);

const assembler = await wabt();

/** The module's bytes; no name section, so they depend only on the code, not on local names. */
function assemble(text, features) {
  const module = assembler.parseWat('gemm.wat', text, features);
  try {
    module.resolveNames();
    module.validate(features);
    return Buffer.from(module.toBinary({ write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

const plain = assemble(source, { simd: true });
const shared = assemble(source.replace(MEMORY_IMPORT, SHARED_MEMORY_IMPORT), { simd: true, threads: true });
const out =
  '// Generated from gemm.wat by `npm run build:wasm` (scripts/build-wasm.mjs). Do not edit.\n' +
  `// WebAssembly (SIMD), base64: ${plain.length} bytes importing a plain memory, ${shared.length} a shared one.\n\n` +
  `export const GEMM_WASM_BASE64 =\n  '${plain.toString('base64')}';\n\n` +
  `export const GEMM_WASM_SHARED_BASE64 =\n  '${shared.toString('base64')}';\n`;
const target = new URL('gemm-wasm.ts', root);

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== out) {
    console.error('gemm-wasm.ts is out of date with gemm.wat: run `npm run build:wasm`');
    process.exit(1);
  }
  console.log('gemm-wasm.ts is up to date');
} else {
  await writeFile(target, out);
  console.log(`gemm.wat → gemm-wasm.ts (${plain.length} bytes; shared-memory variant ${shared.length} bytes)`);
}
