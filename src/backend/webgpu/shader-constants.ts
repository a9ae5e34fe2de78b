// Numbers a launcher shares with its shader (workgroup sizes, register blocks), read from the shader's
// own `const` declarations (or an `override`'s default), as uniforms and bindings are: each is written
// once, in the WGSL, and the host's grids and costs follow it.

import { SHADERS, type ShaderName } from './shader-sources.js';

/** The value of `const NAME: T = <literal>;` (or `override NAME: T = <literal>;`) in a shader. */
export function shaderConstant(shader: ShaderName, name: string): number {
  const decl = new RegExp(`^(?:const|override)\\s+${name}\\s*:\\s*\\w+\\s*=\\s*([^;]+);`, 'm').exec(SHADERS[shader]);
  if (!decl) throw new Error(`webnmf internal: ${shader}.wgsl declares no constant ${name}`);
  const literal = /^(-?\d+(?:\.\d*)?(?:e[-+]?\d+)?)[uif]?$/i.exec(decl[1].trim());
  if (!literal) throw new Error(`webnmf internal: ${shader}.wgsl's ${name} is ${decl[1].trim()}, not a number literal`);
  return Number(literal[1]);
}
