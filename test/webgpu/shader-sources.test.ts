// shader-sources.ts is generated from shaders/*.wgsl; a stale copy would test old shaders.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { shaderModuleText, target } from '../../scripts/build-shaders.mjs';

it('src/backend/webgpu/shader-sources.ts is up to date with shaders/*.wgsl (npm run build:shaders)', async () => {
  expect(await readFile(target, 'utf8')).toBe(await shaderModuleText());
});
