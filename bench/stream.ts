// npm run bench:stream — MiniBatchNMF streamed through X larger than the adapter's
// maxStorageBufferBindingSize (as float32), never holding X: rows are generated block by block on
// every pass (a low-rank matrix plus noise, the same rows each pass). Reports the peak GPU bytes
// webnmf allocated and the peak host RSS beside the size of X: both should follow the batch, not X.
// Options: --rows=N --features=N (default: just over the binding limit), --batch=N (default 2048),
//          --k=N (10), --backend=webgpu|cpu (webgpu), --epochs=N (1).

import { cpus } from 'node:os';
import { setupSharedGpu } from './webgpu/env.js';
import { MiniBatchNMF } from '../src/index.js';
import { bufferBytes, resetPeakBufferBytes } from '../src/backend/webgpu/index.js';
import type { DenseMatrix } from '../src/matrix/matrix.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const backend = (arg('backend') ?? 'webgpu') as 'webgpu' | 'cpu';
const k = Number(arg('k') ?? 10);
const batchSize = Number(arg('batch') ?? 2048);
const epochs = Number(arg('epochs') ?? 1);
const features = Number(arg('features') ?? 1024);

const gpu = backend === 'webgpu' ? await setupSharedGpu() : null;
const device = gpu?.device;
const binding = device ? device.limits.maxStorageBufferBindingSize : 1 << 30;
// just over the binding limit as float32, unless told otherwise
const rows = Number(arg('rows') ?? Math.ceil((binding * 1.05) / (4 * features)));
const BLOCK = 4096;
const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Row i of X: Σ_r a_ir·b_rj + noise, from integer hashes (no state: every pass gives the same rows). */
function block(start: number, count: number): DenseMatrix<Float64Array> {
  const rank = 5;
  const data = new Float64Array(count * features);
  const hash = (x: number) => {
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
    return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
  };
  const b = Array.from({ length: rank * features }, (_, q) => hash(q + 7));
  for (let i = 0; i < count; i++) {
    const a = Array.from({ length: rank }, (_, r) => hash((start + i) * rank + r + 1_000_003));
    for (let j = 0; j < features; j++) {
      let v = 0.01 * hash((start + i) * features + j + 99);
      for (let r = 0; r < rank; r++) v += a[r] * b[r * features + j];
      data[i * features + j] = v;
    }
  }
  return { rows: count, cols: features, data };
}

const gc = (globalThis as { gc?: () => void }).gc;
/**
 * The most JavaScript memory (V8 heap + array buffers and other external memory) alive after a full
 * collection (with --expose-gc): what the fit holds, not its garbage. RSS alone overstates it: the
 * allocator keeps freed pages for reuse.
 */
let peakHeld = 0;
const held = () => {
  const u = process.memoryUsage();
  return u.heapUsed + u.external;
};
function collect(): void {
  if (!gc) return;
  gc();
  peakHeld = Math.max(peakHeld, held() - heldBefore);
}

function* pass(): Generator<DenseMatrix<Float64Array>> {
  for (let s = 0; s < rows; s += BLOCK) {
    collect();
    yield block(s, Math.min(BLOCK, rows - s));
  }
}

gc?.();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const rssBefore = process.memoryUsage().rss;
const heldBefore = held();
if (device) resetPeakBufferBytes(device);

const model = new MiniBatchNMF({
  nComponents: k, batchSize, maxIter: epochs, tol: 0, maxNoImprovement: null, init: 'random', randomState: 0,
  backend, device, onWarning: () => {},
  onProgress: ({ step }) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (step && step % 10 === 0) collect();
    if (step && step % 20 === 0) console.error(`  step ${step} of ${Math.ceil(rows / batchSize) * epochs}`);
  },
});
const t0 = performance.now();
await model.fit(pass);
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);

const xBytes = rows * features * 4;
console.log('# webnmf streamed MiniBatchNMF\n');
console.log(`- date: ${new Date().toISOString()}; Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? '?'}`);
console.log(`- backend: ${model.backendUsed}${gpu ? `; adapter ${gpu.adapter.vendor} ${gpu.adapter.architecture} ${gpu.adapter.description}` : ''}`);
console.log(`- X: ${rows} × ${features} (${MB(xBytes)} as float32; the storage binding limit is ${MB(binding)}), generated in blocks of ${BLOCK} rows on every pass`);
console.log(`- MiniBatchNMF: k ${k}, batchSize ${batchSize}, ${epochs} epoch(s), ${model.nSteps} steps, ${seconds.toFixed(1)} s (${((seconds * 1000) / model.nSteps!).toFixed(0)} ms/step), reconstructionErr ${model.reconstructionErr?.toPrecision(6)}\n`);
console.log('| memory | peak | X as float32 | one batch as float32 | W (rows × k, float64) |');
console.log('|---|---|---|---|---|');
const batchBytes = batchSize * features * 4;
const wBytes = rows * k * 8;
if (device) console.log(`| GPU buffers of webnmf | ${MB(bufferBytes(device).peak)} | ${MB(xBytes)} | ${MB(batchBytes)} | ${MB(wBytes)} |`);
console.log(`| host RSS growth over the fit | ${MB(peakRss - rssBefore)} | ${MB(xBytes)} | ${MB(batchBytes)} | ${MB(wBytes)} |`);
if (gc) console.log(`| host JS memory held after a full GC (heap + external; sampled per block, every 10 steps) | ${MB(peakHeld)} | ${MB(xBytes)} | ${MB(batchBytes)} | ${MB(wBytes)} |`);
else console.log('\n(run with node --expose-gc to also see what is held after a full collection)');
process.exit(0);
