// Bindings resolved by WGSL name (src/backend/webgpu/bindings.ts): the reflection, and its errors.
import { describe, expect, it } from 'vitest';
import { declaredBindings, entryBindings, resolveBindings } from '../../src/backend/webgpu/bindings.js';
import { SHADERS } from '../../src/backend/webgpu/shader-sources.js';

const WGSL = `
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>; // used by first only
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn load(i: u32) -> f32 { return x[i]; }
fn first(@builtin(global_invocation_id) id: vec3u) { out[id.x] = load(id.x) * w[id.x]; }
/* w below is a local and a member, never the binding */
fn second(@builtin(global_invocation_id) id: vec3u) { let w = vec4f(1.0); out[id.x] = load(p.n) + w.w; }
`;
const buffer = (label: string) => ({ label }) as unknown as GPUBuffer;
const u = buffer('uniform');

describe('bindings by name', () => {
  it('reads every @group(0) @binding(N) declaration', () => {
    expect([...declaredBindings(WGSL).values()].map((d) => [d.name, d.binding, d.uniform])).toEqual([
      ['p', 0, true], ['x', 1, false], ['w', 2, false], ['out', 3, false],
    ]);
  });

  it('an entry point uses the bindings it and the functions it calls name, not locals or members', () => {
    expect(entryBindings(WGSL, 'first').map((d) => d.name)).toEqual(['x', 'w', 'out']);
    expect(entryBindings(WGSL, 'second').map((d) => d.name)).toEqual(['p', 'x', 'out']);
  });

  it('resolves names to binding numbers, the uniform to its own', () => {
    const x = buffer('x'), out = buffer('out');
    expect([...resolveBindings(WGSL, 'test', 'second', { x, out }, u)]).toEqual([[0, u], [1, x], [3, out]]);
  });

  it('throws naming the shader, entry point and binding', () => {
    const x = buffer('x'), w = buffer('w'), out = buffer('out');
    expect(() => resolveBindings(WGSL, 'test', 'first', { x, w, out, h: x }, u)).toThrow("test.wgsl declares no binding 'h' (given to first; it declares p, x, w, out)");
    expect(() => resolveBindings(WGSL, 'test', 'first', { x, out }, u)).toThrow("test.wgsl's entry point first needs binding 'w' (@binding(2)), which was not given");
    expect(() => resolveBindings(WGSL, 'test', 'second', { x, w, out }, u)).toThrow("test.wgsl's entry point second does not use binding 'w' (@binding(2))");
    expect(() => resolveBindings(WGSL, 'test', 'third', {}, u)).toThrow('test.wgsl has no entry point third');
  });

  it("every shader's entry points resolve (each declared binding is used by some entry point)", () => {
    for (const [shader, wgsl] of Object.entries(SHADERS)) {
      const entries = [...wgsl.matchAll(/@compute[^\n]*\n\s*fn\s+(\w+)/g)].map((m) => m[1]);
      expect(entries.length, shader).toBeGreaterThan(0);
      const used = new Set(entries.flatMap((e) => entryBindings(wgsl, e, shader)));
      expect([...declaredBindings(wgsl).values()].filter((d) => !used.has(d)), shader).toEqual([]);
    }
  });
});
