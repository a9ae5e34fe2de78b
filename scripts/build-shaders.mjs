// Embeds the WGSL sources (shaders/*.wgsl, hand-written, one file per kernel family, and
// shaders/generated/*.wgsl) into src/backend/webgpu/shader-sources.ts, so the WebGPU backend loads its
// shaders the same way under any bundler, in Node from source (tsx) and from dist/. shaders/prelude.wgsl
// is no shader of its own: each shader gets in front of it the prelude's declarations it names (and
// those they name), its opening comment with them. Written by scripts/generate.mjs
// (npm run build:generated) after the generated shaders.

export const target = 'src/backend/webgpu/shader-sources.ts';
export const prelude = 'shaders/prelude.wgsl';

const withoutComments = (wgsl) => wgsl.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
const names = (wgsl, name) => new RegExp(`\\b${name}\\b`).test(withoutComments(wgsl));

/** The prelude's blocks (separated by blank lines), each with the name it declares (none: the opening comment). */
export function preludeBlocks(text) {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((block) => ({ block, name: /^(?:const|override|fn|var(?:<[^>]*>)?)\s+(\w+)/m.exec(withoutComments(block))?.[1] }));
}

/** `wgsl` with the prelude's blocks it needs in front (none: `wgsl` as it is). */
export function withPrelude(wgsl, preludeText) {
  const blocks = preludeBlocks(preludeText);
  const needed = new Set();
  for (let grew = true; grew; ) {
    grew = false;
    for (const { block, name } of blocks) {
      if (!name || needed.has(name)) continue;
      if (names(wgsl, name) || blocks.some((b) => needed.has(b.name) && names(b.block.replace(/^[^{]*/, ''), name))) {
        needed.add(name);
        grew = true;
      }
    }
  }
  if (needed.size === 0) return wgsl;
  return `${blocks.filter((b) => !b.name || needed.has(b.name)).map((b) => b.block).join('\n\n')}\n\n${wgsl}`;
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
    '// Generated from shaders/*.wgsl and shaders/generated/*.wgsl (with what they use of prelude.wgsl)\n' +
    '// by `npm run build:generated` (scripts/generate.mjs). Do not edit.\n\n' +
    `export const SHADERS = {\n${entries.join('\n')}\n} as const;\n\nexport type ShaderName = keyof typeof SHADERS;\n`
  );
}
