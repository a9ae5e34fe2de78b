// Embeds the WGSL sources (shaders/*.wgsl, hand-written, one file per kernel family, and
// shaders/generated/*.wgsl) into src/backend/webgpu/shader-sources.ts, so the WebGPU backend loads its
// shaders the same way under any bundler, in Node from source (tsx) and from dist/. Written by
// scripts/generate.mjs (npm run build:generated) after the generated shaders.

export const target = 'src/backend/webgpu/shader-sources.ts';

/** shader-sources.ts's text; `list(dir)` and `read(path)` see the repository as generate.mjs has it. */
export async function shaderModuleText(list, read) {
  const files = [...(await list('shaders/')), ...(await list('shaders/generated/'))].filter((f) => f.endsWith('.wgsl'));
  const names = new Map();
  for (const f of files) {
    const name = f.replace(/^.*\//, '').replace(/\.wgsl$/, '');
    if (names.has(name)) throw new Error(`${f} and ${names.get(name)} would both be shader '${name}'`);
    names.set(name, f);
  }
  const sorted = [...names].sort(([a], [b]) => (a < b ? -1 : 1));
  const entries = await Promise.all(sorted.map(async ([name, f]) => `  ${name}: ${JSON.stringify(await read(f))},`));
  return (
    '// Generated from shaders/*.wgsl and shaders/generated/*.wgsl by `npm run build:generated` (scripts/generate.mjs). Do not edit.\n\n' +
    `export const SHADERS = {\n${entries.join('\n')}\n} as const;\n\nexport type ShaderName = keyof typeof SHADERS;\n`
  );
}
