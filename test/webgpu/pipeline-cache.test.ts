// The device's pipeline cache is bounded (least recently used beyond MAX_CACHED_PIPELINES), and the
// 'hardware' plan keeps shapes out of its pipeline keys: fits of new shapes reuse its pipelines.

import { describe, expect, it } from 'vitest';
import { testDevice } from './setup.js';
import { cachedPipelineCount, cachedPipelineKeys, getPipeline, MAX_CACHED_PIPELINES, pipelineKey } from '../../src/backend/webgpu/pipelines.js';
import { nonNegativeFactorization } from '../../src/index.js';
import { randomArray } from '../support/problems.js';

const quiet = () => {};

describe('the pipeline cache', () => {
  it(`holds at most ${MAX_CACHED_PIPELINES} pipelines, dropping the least recently used`, async () => {
    const device = await testDevice();
    const built = MAX_CACHED_PIPELINES + 24;
    // divergenceSparse ignores TILE_K, so each key is a new (cheap) pipeline of the same code
    const get = (t: number) => getPipeline(device, 'divergence', 'divergenceSparse', { BETA_CLASS: 2, TILE_K: t });
    const first = await get(1);
    const second = await get(2);
    for (let t = 3; t <= built; t++) {
      await get(t);
      if (t % 10 === 0) expect(await get(1), 'a pipeline in use stays cached').toBe(first);
      expect(cachedPipelineCount(device)).toBeLessThanOrEqual(MAX_CACHED_PIPELINES);
    }
    expect(cachedPipelineCount(device)).toBe(MAX_CACHED_PIPELINES);
    expect(await get(built), 'the most recent one is cached').toBe(await get(built));
    expect(await get(2), 'an old one was dropped, and is built anew').not.toBe(second);
    expect(pipelineKey('divergence', 'divergenceSparse', { TILE_K: 2, BETA_CLASS: 2 })).toBe('divergence.divergenceSparse(BETA_CLASS=2,TILE_K=2)');
    device.destroy();
  });

  it("the 'hardware' plan's pipelines do not depend on the shape: new shapes build none", async () => {
    const device = await testDevice();
    const fit = (m: number, n: number, k: number, solver: 'mu' | 'cd', betaLoss: 'frobenius' | 'kullback-leibler') =>
      nonNegativeFactorization({ rows: m, cols: n, data: randomArray(m * n, m + n, 0.1, 1) }, {
        nComponents: k, solver, betaLoss, init: 'random', randomState: 0, maxIter: 2, backend: 'webgpu', gpuProfile: 'hardware', device, onWarning: quiet,
      });
    const cases = [['mu', 'frobenius'], ['mu', 'kullback-leibler'], ['cd', 'frobenius']] as const;
    // what shapes the code: rows of X in whole vec4s or not (n % 4), whether a product is split along
    // K (m = 40: WᵀW in splits, then summed), and the step of the X tiles (at most the reduction's
    // power of two: 16 for n ≤ 16): one shape of each first
    for (const n of [16, 15]) for (const [solver, loss] of cases) await fit(40, n, 5, solver, loss);
    const after = cachedPipelineCount(device);
    expect(after).toBeGreaterThan(10);
    // other m, n and k in those classes (k in the same power-of-two class: the capacity of the tiles)
    for (const [m, n, k] of [[37, 12, 6], [61, 13, 7], [50, 16, 8]]) for (const [solver, loss] of cases) await fit(m, n, k, solver, loss);
    // no key names a shape: only tiles, capacities, β-classes, transposes and flags
    for (const key of cachedPipelineKeys(device)) expect(key, key).not.toMatch(/\b(M|N|K|LDA|LDB|LDC|rows|n|k)=/);
    expect(cachedPipelineCount(device)).toBe(after);
    device.destroy();
  });
});
