// Every generated source (scripts/generate.mjs) is committed; a stale one would test old shaders or kernels.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { expandSkinny, K_MAX } from '../scripts/gen-skinny.mjs';
import { SKINNY_MAX_K } from '../src/backend/webgpu/programs/gemm.js';

it('shaders/generated/, shader-sources.ts and gemm-wasm.ts are up to date (npm run build:generated)', () => {
  const script = new URL('../scripts/generate.mjs', import.meta.url).pathname;
  const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(check.stdout + check.stderr).toBe('generated sources are up to date\n');
  expect(check.status).toBe(0);
  expect(K_MAX).toBe(SKINNY_MAX_K);
});

it("gen-skinny.mjs expands each {{name}} line of skinny.wgsl's template, and rejects unknown, repeated and missing ones", () => {
  const names = ['nt-vars', 'nt-load-w', 'nt-divide', 'nt-accumulate', 'nt-store', 'tn-vars', 'tn-load-h', 'tn-load-e'];
  const more = ['tn-w-vars', 'tn-load-wv', 'tn-load-w', 'tn-divide', 'tn-accumulate', 'tn-store'];
  const template = [...names, ...more].map((n) => `  {{${n}}}`).join('\n');
  const lines = (expandSkinny(`${template}\n// end`) as string).split('\n');
  const accumulate = lines.filter((l) => l.includes('c31 += w31 * v'));
  expect(accumulate).toEqual(['  if (KC > 31u) { c31 += w31 * v; d31 += w31 * u; }']);
  expect(lines.filter((l) => l.startsWith('  if (KC > ') && l.includes(' += w') && l.includes(' * v;'))).toHaveLength(K_MAX);
  expect(lines.at(-1)).toBe('// end');
  expect(() => expandSkinny(`${template}\n  {{nt-vars}}`)).toThrow(/twice/);
  expect(() => expandSkinny(`${template}\n{{nope}}`)).toThrow(/unknown placeholder \{\{nope\}\}/);
  expect(() => expandSkinny(template.replace('  {{tn-store}}', ''))).toThrow(/lacks placeholders: tn-store/);
});
