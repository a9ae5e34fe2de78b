// Constants shared by host and shaders are written once: the launchers read theirs from the WGSL
// (shader-constants.ts), and the shaders share EPSILON through prelude.wgsl.
import { describe, expect, it } from 'vitest';
import { EPSILON } from '../../src/numerics.js';
import { shaderConstant } from '../../src/backend/webgpu/shader-constants.js';
import { SHADERS, type ShaderName } from '../../src/backend/webgpu/shader-sources.js';
// @ts-expect-error: a plain .mjs build script without types
import { withPrelude } from '../../scripts/build-shaders.mjs';

describe('constants shared with the shaders', () => {
  it("the shaders' EPSILON (prelude.wgsl) is src/numerics.ts's", () => {
    const users = (Object.keys(SHADERS) as ShaderName[]).filter((s) => /\bEPSILON\b/.test(SHADERS[s].replace(/\/\/[^\n]*/g, '').replace(/const EPSILON[^;]*;/, '')));
    expect(users.length).toBeGreaterThan(5);
    for (const s of users) expect(shaderConstant(s, 'EPSILON'), s).toBe(EPSILON);
  });

  it("each shader declares the prelude's names once at most (the prelude's, never a copy)", () => {
    for (const [s, wgsl] of Object.entries(SHADERS)) {
      for (const decl of [/const EPSILON\b/g, /fn safePow\b/g, /fn workgroupIndex\b/g, /fn treeSum\b/g, /fn linearId\b/g]) expect((wgsl.match(decl) ?? []).length, `${s} ${decl}`).toBeLessThanOrEqual(1);
    }
  });

  it("a shader gets the prelude's declarations it names, and those they name, nothing when it names none", () => {
    const prelude = '// the prelude\n\nconst LIMIT: f32 = 2.0;\n\n/** doc */\nfn clamped(v: f32) -> f32 { return min(v, LIMIT); }\n\nfn unused() {}\n';
    expect(withPrelude('fn f() -> f32 { return clamped(3.0); }', prelude)).toBe(
      '// the prelude\n\nconst LIMIT: f32 = 2.0;\n\n/** doc */\nfn clamped(v: f32) -> f32 { return min(v, LIMIT); }\n\nfn f() -> f32 { return clamped(3.0); }',
    );
    expect(withPrelude('// LIMIT in a comment only\nfn f() {}', prelude)).toBe('// LIMIT in a comment only\nfn f() {}');
  });

  it('reads a literal constant or override default, and says which shader lacks one', () => {
    expect(shaderConstant('online', 'WG')).toBe(256);
    expect(shaderConstant('tiled', 'SUM_WG')).toBe(64);
    expect(shaderConstant('divergence', 'R')).toBe(4);
    expect(() => shaderConstant('online', 'NOPE')).toThrow('online.wgsl declares no constant NOPE');
    expect(() => shaderConstant('divergence', 'TILE')).toThrow("divergence.wgsl's TILE is WG * R, not a number literal");
  });
});
