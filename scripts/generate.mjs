// The one build step for every generated source; the outputs are committed, so building or testing the
// library runs none of it. The rule: edit the hand-written input, then run `npm run build:generated`
// (this script); `node scripts/generate.mjs --check` writes nothing and exits 1 when an output is stale
// (test/generated.test.ts runs it). In order, each from the outputs before it:
//   shaders/templates/skinny.wgsl       → shaders/generated/skinny.wgsl       (scripts/gen-skinny.mjs)
//   shaders/*.wgsl, shaders/generated/  → src/backend/webgpu/shader-sources.ts (scripts/build-shaders.mjs)
//   src/backend/cpu/*.wat               → src/backend/cpu/gemm-wasm.ts          (scripts/build-wasm.mjs)

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { shaderModuleText, target as shaderSources } from './build-shaders.mjs';
import { wasmModuleText, target as gemmWasm } from './build-wasm.mjs';
import { expandSkinny, target as skinnyTarget, template as skinnyTemplate } from './gen-skinny.mjs';

const root = new URL('../', import.meta.url);

/** Every output's path and its text now; an output generated earlier in the list is read as generated. */
export async function generatedOutputs() {
  const pending = new Map();
  const read = (path) => pending.get(path) ?? readFile(new URL(path, root), 'utf8');
  const list = async (dir) => {
    const onDisk = (await readdir(new URL(dir, root)).catch(() => [])).map((f) => dir + f);
    const written = [...pending.keys()].filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/'));
    return [...new Set([...onDisk, ...written])].sort();
  };
  pending.set(skinnyTarget, expandSkinny(await read(skinnyTemplate)));
  pending.set(shaderSources, await shaderModuleText(list, read));
  pending.set(gemmWasm, await wasmModuleText(read));
  const strays = (await list('shaders/generated/')).filter((p) => !pending.has(p));
  if (strays.length) throw new Error(`no generator writes ${strays.join(', ')}: delete it`);
  return pending;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [path, text] of await generatedOutputs()) {
    const current = await readFile(new URL(path, root), 'utf8').catch(() => null);
    if (current === text) continue;
    stale.push(path);
    if (!check) await writeFile(new URL(path, root), text);
  }
  if (check) {
    console.log(stale.length ? `stale: ${stale.join(', ')}; run npm run build:generated` : 'generated sources are up to date');
    process.exitCode = stale.length ? 1 : 0;
  } else {
    console.log(stale.length ? `written: ${stale.join(', ')}` : 'generated sources were up to date');
  }
}
