// The WebAssembly SIMD multiply-add peak of one core: the limit bench/gemm.ts measures the CPU
// backend's kernels against, and the machine-speed probe bench/cpu.ts prints before and after its
// rounds (this host's speed moves between quiet windows; read ratios within one run).
//
// The loop is the products' best case: the register tile of gemm.wat's ab (4 weights splatted × 2
// vectors, 8 accumulators), each step a mul then an add (baseline WASM SIMD has no fused
// multiply-add), its operands loaded from 4 KiB that stay in L1. Every product differs and every
// operand is loaded in the loop, so the compiler can neither merge nor hoist the multiplies. (An
// earlier probe multiplied the same two registers for every accumulator: V8 computed that product
// once per step, so it timed adds alone and read 11.6 GMAC/s where this loop reads 9.2–9.7.)

import wabt from 'wabt';

export type PeakShape = 'f64x2' | 'f32x4';

/** The probe loop for `shape`: run(steps) does steps × macsPerStep multiply-adds. */
export async function peakKernel(shape: PeakShape): Promise<{ run: (steps: number) => void; macsPerStep: number }> {
  const [scalar, bytes, lanes] = shape === 'f64x2' ? ['f64', 8, 2] : ['f32', 4, 4];
  const tile = [0, 1, 2, 3].flatMap((i) => [0, 1].map((j) => [i, j] as const));
  const text = `(module (memory 1) (func (export "run") (param $n i32) (result ${scalar})
    (local $p i32) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $y0 v128) (local $y1 v128)
    ${tile.map(([i, j]) => `(local $s${i}${j} v128)`).join(' ')}
    (loop $l
      (local.set $p (i32.and (i32.shl (local.get $n) (i32.const 5)) (i32.const 4064)))
      ${[0, 1, 2, 3].map((i) => `(local.set $w${i} (v128.load${bytes * 8}_splat offset=${i * bytes} (local.get $p)))`).join(' ')}
      (local.set $y0 (v128.load offset=4096 (local.get $p))) (local.set $y1 (v128.load offset=4112 (local.get $p)))
      ${tile.map(([i, j]) => `(local.set $s${i}${j} (${shape}.add (local.get $s${i}${j}) (${shape}.mul (local.get $w${i}) (local.get $y${j}))))`).join('\n      ')}
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (${shape}.extract_lane 0 ${tile.reduce((s, [i, j]) => `(${shape}.add ${s} (local.get $s${i}${j}))`, `(${shape}.splat (${scalar}.const 0))`)})))`;
  const assembler = await wabt();
  const module = assembler.parseWat('peak.wat', text, { simd: true });
  const binary = module.toBinary({}).buffer as Uint8Array<ArrayBuffer>;
  module.destroy();
  const instance = new WebAssembly.Instance(new WebAssembly.Module(binary));
  return { run: instance.exports.run as (steps: number) => void, macsPerStep: tile.length * lanes };
}

/** One core's peak in GMAC/s: the best of `tries` runs of about 0.1 s each, after a warm-up. */
export async function measurePeak(shape: PeakShape, tries = 5): Promise<number> {
  const { run, macsPerStep } = await peakKernel(shape);
  // short calls first, so V8 tiers the loop up (a call that starts in its baseline code ends there)
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) run(10_000);
  const steps = 4_000_000;
  let best = Infinity;
  for (let t = 0; t < tries; t++) {
    const start = performance.now();
    run(steps);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return (steps * macsPerStep) / best / 1e9;
}
