// Embeds shaders/*.wgsl (the WGSL sources, one file per kernel family) into
// src/backend/webgpu/shader-sources.ts, so the WebGPU backend loads its shaders the same way under
// any bundler, in Node from source (tsx) and from dist/. Rerun `npm run build:shaders` after editing
// a .wgsl file (test/webgpu/shader-sources.test.ts fails while they disagree). It first regenerates
// the unrolled lines of gemm.wgsl's skinny kernels (scripts/gen-skinny-gemm.mjs).

import { readFile, readdir, writeFile } from 'node:fs/promises';
import { writeSkinnyGemm } from './gen-skinny-gemm.mjs';

export const shaderDir = new URL('../shaders/', import.meta.url);
export const target = new URL('../src/backend/webgpu/shader-sources.ts', import.meta.url);

/** The generated module's text for the current .wgsl files. */
export async function shaderModuleText() {
  const files = (await readdir(shaderDir)).filter((f) => f.endsWith('.wgsl')).sort();
  const entries = await Promise.all(files.map(async (f) => `  ${f.replace(/\.wgsl$/, '')}: ${JSON.stringify(await readFile(new URL(f, shaderDir), 'utf8'))},`));
  return (
    '// Generated from shaders/*.wgsl by `npm run build:shaders` (scripts/build-shaders.mjs). Do not edit.\n\n' +
    `export const SHADERS = {\n${entries.join('\n')}\n} as const;\n\nexport type ShaderName = keyof typeof SHADERS;\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (await writeSkinnyGemm()) console.log('shaders/gemm.wgsl: skinny kernels regenerated');
  await writeFile(target, await shaderModuleText());
  console.log(`shaders/*.wgsl → ${target.pathname.split('/').slice(-3).join('/')}`);
}
