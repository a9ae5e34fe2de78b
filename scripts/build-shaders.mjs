// Embeds the WGSL sources (shaders/*.wgsl, hand-written, one file per kernel family, and
// shaders/generated/*.wgsl) into src/backend/webgpu/shader-sources.ts, so the WebGPU backend loads its
// shaders the same way under any bundler, in Node from source (tsx) and from dist/. shaders/prelude.wgsl
// is no shader of its own: it goes in front of each shader that names one of its declarations. Written
// by scripts/generate.mjs (npm run build:generated) after the generated shaders.

export const target = 'src/backend/webgpu/shader-sources.ts';
export const prelude = 'shaders/prelude.wgsl';

const withoutComments = (wgsl) => wgsl.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');

/** The names the prelude declares (constants, overrides, functions, module-scope variables). */
export function preludeNames(text) {
  return [...withoutComments(text).matchAll(/^(?:const|override|fn|var(?:<[^>]*>)?)\s+(\w+)/gm)].map((m) => m[1]);
}

/** `wgsl` with the prelude in front when it names one of the prelude's declarations. */
export function withPrelude(wgsl, preludeText) {
  const code = withoutComments(wgsl);
  return preludeNames(preludeText).some((name) => new RegExp(`\\b${name}\\b`).test(code)) ? `${preludeText}\n${wgsl}` : wgsl;
}

/** shader-sources.ts's text; `list(dir)` and `read(path)` see the repository as generate.mjs has it. */
export async function shaderModuleText(list, read) {
  const files = [...(await list('shaders/')), ...(await list('shaders/generated/'))].filter((f) => f.endsWith('.wgsl') && f !== prelude);
  const preludeText = await read(prelude);
  const names = new Map();
  for (const f of files) {
    const name = f.replace(/^.*\//, '').replace(/\.wgsl$/, '');
    if (names.has(name)) throw new Error(`${f} and ${names.get(name)} would both be shader '${name}'`);
    names.set(name, f);
  }
  const sorted = [...names].sort(([a], [b]) => (a < b ? -1 : 1));
  const entries = await Promise.all(sorted.map(async ([name, f]) => `  ${name}: ${JSON.stringify(withPrelude(await read(f), preludeText))},`));
  return (
    '// Generated from shaders/*.wgsl and shaders/generated/*.wgsl (prelude.wgsl in front of those that use it)\n' +
    '// by `npm run build:generated` (scripts/generate.mjs). Do not edit.\n\n' +
    `export const SHADERS = {\n${entries.join('\n')}\n} as const;\n\nexport type ShaderName = keyof typeof SHADERS;\n`
  );
}
