// Assembles src/backend/cpu/gemm.wat (WebAssembly text, SIMD) into src/backend/cpu/gemm-wasm.ts,
// a base64 string the CPU backend compiles at run time. The output is committed, so building the
// library needs no wabt; rerun `npm run build:wasm` after editing gemm.wat
// (test/cpu-gemm.test.ts fails while the two disagree).

import { readFile, writeFile } from 'node:fs/promises';
import wabt from 'wabt';

const root = new URL('../src/backend/cpu/', import.meta.url);
const source = await readFile(new URL('gemm.wat', root), 'utf8');

const assembler = await wabt();
const module = assembler.parseWat('gemm.wat', source, { simd: true });
try {
  module.resolveNames();
  module.validate();
  // No name section: the bytes (and the base64) depend only on the code, not on local names.
  const { buffer } = module.toBinary({ write_debug_names: false });
  const base64 = Buffer.from(buffer).toString('base64');
  const out =
    '// Generated from gemm.wat by `npm run build:wasm` (scripts/build-wasm.mjs). Do not edit.\n' +
    `// ${buffer.length} bytes of WebAssembly (SIMD), base64.\n\n` +
    `export const GEMM_WASM_BASE64 =\n  '${base64}';\n`;
  await writeFile(new URL('gemm-wasm.ts', root), out);
  console.log(`gemm.wat → gemm-wasm.ts (${buffer.length} bytes)`);
} finally {
  module.destroy();
}
