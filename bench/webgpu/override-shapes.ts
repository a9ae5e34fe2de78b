// node --import tsx bench/webgpu/override-shapes.ts — does the software plan gain from baking shapes into
// its pipelines? gemm.wgsl's GEMM and skinny.wgsl's X products compiled twice: with
// M, N, K, LDA, LDB, LDC as override constants (as the software plan runs them) and read from a uniform
// instead (the module text rewritten), timed side by side (fastest of 5 rounds of 5 dispatches).
// The answer decides which shapes the software plan keeps in its pipeline keys (bench/README.md).

import { randomArray } from '../../test/support/problems.js';
import { declaredBindings } from '../../src/backend/webgpu/bindings.js';
import { SHADERS } from '../../src/backend/webgpu/shader-sources.js';
import { setupDevice } from './env.js';

async function main() {
  const { device } = await setupDevice();
  const names = ['M', 'N', 'K', 'LDA', 'LDB', 'LDC'];
  /** The shader with the shapes read from the uniform instead of override constants. */
  const withUniformShapes = (source: string) => {
    let code = source.replace('struct Params {', 'struct Params {\n  uM: u32,\n  uN: u32,\n  uK: u32,\n  uLDA: u32,\n  uLDB: u32,\n  uLDC: u32,');
    for (const nm of names) code = code.replace(new RegExp(`override ${nm}: u32;`), '').replace(new RegExp(`\\b${nm}\\b`, 'g'), `p.u${nm}`);
    return code;
  };
  const modO = device.createShaderModule({ code: SHADERS.gemm });
  const modU = device.createShaderModule({ code: withUniformShapes(SHADERS.gemm) });
  const shapes = [
    { label: 'XHt 1000×20×800 (transB)', M: 1000, N: 20, K: 800, LDA: 800, LDB: 800, LDC: 20, TRANS_A: 0, TRANS_B: 1 },
    { label: 'WtX 20×800×1000 (transA)', M: 20, N: 800, K: 1000, LDA: 20, LDB: 800, LDC: 800, TRANS_A: 1, TRANS_B: 0 },
    { label: 'GEMM 256³', M: 256, N: 256, K: 256, LDA: 256, LDB: 256, LDC: 256, TRANS_A: 0, TRANS_B: 0 },
  ];
  for (const s of shapes) {
    const mk = (buf: number[]) => { const b = device.createBuffer({ size: Math.max(16, buf.length * 4), usage: 0x80 | 0x8 | 0x4 }); device.queue.writeBuffer(b, 0, new Float32Array(buf)); return b; };
    const A = mk(Array.from(randomArray(s.M * s.K, 1))), B = mk(Array.from(randomArray(s.K * s.N, 2))), C = mk(new Array(s.M * s.N).fill(0));
    const RM = s.M >= 8 ? 8 : 4, CW = s.N >= 8 ? 8 : 4, WG = 64;
    const grid = Math.ceil((Math.ceil(s.M / RM) * Math.ceil(s.N / CW)) / WG);
    const mkPipe = (mod: GPUShaderModule, withShapes: boolean) => device.createComputePipeline({ layout: 'auto', compute: { module: mod, entryPoint: 'main', constants: { TRANS_A: s.TRANS_A, TRANS_B: s.TRANS_B, WG, RM, CW, ...(withShapes ? { M: s.M, N: s.N, K: s.K, LDA: s.LDA, LDB: s.LDB, LDC: s.LDC } : {}) } } });
    const pO = mkPipe(modO, true), pU = mkPipe(modU, false);
    const uO = device.createBuffer({ size: 32, usage: 0x40 | 0x8 }), uU = device.createBuffer({ size: 48, usage: 0x40 | 0x8 });
    device.queue.writeBuffer(uO, 0, new Uint32Array([0, 0, 0, 0, 0, 0, 0, 0]));
    device.queue.writeBuffer(uU, 0, new Uint32Array([s.M, s.N, s.K, s.LDA, s.LDB, s.LDC, 0, 0, 0, 0, 0, 0]));
    const bg = (pipe: GPUComputePipeline, u: GPUBuffer) => device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: u } }, { binding: 1, resource: { buffer: A } }, { binding: 2, resource: { buffer: B } }, { binding: 3, resource: { buffer: C } }] });
    const run = async (pipe: GPUComputePipeline, g: GPUBindGroup, reps: number) => {
      const enc = device.createCommandEncoder(); const pass = enc.beginComputePass();
      for (let r = 0; r < reps; r++) { pass.setPipeline(pipe); pass.setBindGroup(0, g); pass.dispatchWorkgroups(grid); }
      pass.end(); const t0 = performance.now(); device.queue.submit([enc.finish()]); await device.queue.onSubmittedWorkDone(); return (performance.now() - t0) / reps;
    };
    const gO = bg(pO, uO), gU = bg(pU, uU);
    await run(pO, gO, 1); await run(pU, gU, 1);
    let bo = Infinity, bu = Infinity;
    for (let r = 0; r < 5; r++) { bo = Math.min(bo, await run(pO, gO, 5)); bu = Math.min(bu, await run(pU, gU, 5)); }
    console.log(`| ${s.label} | ${bo.toFixed(2)} | ${bu.toFixed(2)} | ${(bu / bo).toFixed(2)}× |`);
  }
  // skinny kernels: X·Hᵀ (skinnyNT) and Wᵀ·X (skinnyTN) at 1000×800 k=20, KC stays an override
  const m = 1000, n = 800, k = 20;
  const mk = (len: number, seed: number) => { const b = device.createBuffer({ size: Math.max(16, len * 4), usage: 0x80 | 0x8 | 0x4 }); device.queue.writeBuffer(b, 0, new Float32Array(randomArray(len, seed))); return b; };
  const X = mk(m * n, 3), W = mk(m * k, 4), H = mk(k * n, 5), CW_ = mk(m * k, 6), CH = mk(k * n, 7);
  const skinnyO = device.createShaderModule({ code: SHADERS.skinny });
  const skinnyU = device.createShaderModule({ code: withUniformShapes(SHADERS.skinny) });
  const slot = (name: string) => declaredBindings(SHADERS.skinny).get(name)!.binding;
  for (const [entry, shapes, SWG, inv, binds] of [
    ['skinnyNT', { M: m, N: k, K: n, LDA: n, LDB: n, LDC: k }, 64, Math.ceil(m / 8), { c: CW_, xv: X, hv: H, w: W }],
    ['skinnyTN', { M: k, N: n, K: m, LDA: k, LDB: n, LDC: n }, 64, Math.ceil(n / 8), { c: CH, xv: X, hv: H, w: W, wv: W }],
  ] as const) {
    const common = { KC: k, DIVIDE: 0, SWG, TN_COLS: 8, NT_ROWS: 8 };
    const pO = device.createComputePipeline({ layout: 'auto', compute: { module: skinnyO, entryPoint: entry, constants: { ...common, ...shapes } } });
    const pU = device.createComputePipeline({ layout: 'auto', compute: { module: skinnyU, entryPoint: entry, constants: common } });
    const uO = device.createBuffer({ size: 32, usage: 0x40 | 0x8 }), uU = device.createBuffer({ size: 48, usage: 0x40 | 0x8 });
    device.queue.writeBuffer(uO, 0, new Uint32Array(8));
    device.queue.writeBuffer(uU, 0, new Uint32Array([shapes.M, shapes.N, shapes.K, shapes.LDA, shapes.LDB, shapes.LDC, 0, 0, 0, 0, 0, 0]));
    const bg = (pipe: GPUComputePipeline, u: GPUBuffer) => device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: u } }, ...Object.entries(binds).map(([name, buf]) => ({ binding: slot(name), resource: { buffer: buf } }))] });
    const grid = Math.ceil(inv / SWG);
    const run = async (pipe: GPUComputePipeline, g: GPUBindGroup, reps: number) => {
      const enc = device.createCommandEncoder(); const pass = enc.beginComputePass();
      for (let r = 0; r < reps; r++) { pass.setPipeline(pipe); pass.setBindGroup(0, g); pass.dispatchWorkgroups(grid); }
      pass.end(); const t0 = performance.now(); device.queue.submit([enc.finish()]); await device.queue.onSubmittedWorkDone(); return (performance.now() - t0) / reps;
    };
    const gO = bg(pO, uO), gU = bg(pU, uU);
    await run(pO, gO, 1); await run(pU, gU, 1);
    let bo = Infinity, bu = Infinity;
    for (let r = 0; r < 5; r++) { bo = Math.min(bo, await run(pO, gO, 5)); bu = Math.min(bu, await run(pU, gU, 5)); }
    console.log(`| ${entry} 1000×800 k=20 | ${bo.toFixed(2)} | ${bu.toFixed(2)} | ${(bu / bo).toFixed(2)}× |`);
  }
  device.destroy();
}

console.log('| kernel | override ms | uniform ms | uniform / override |\n|---|---|---|---|');
await main();
process.exit(0);
