// scikit-learn's multiplicative updates written with jax-js ops (under jit) and with TF.js ops, as
// each library's docs show: one function per iteration, W then H, float32, X resident on the GPU.
//   β = 2:  W ← W ⊙ XHᵀ / (W·(HHᵀ)),            H ← H ⊙ WᵀX / ((WᵀW)·H)
//   β = 1:  W ← W ⊙ ((X ⊘ WH)·Hᵀ) / rowsum(H),   H ← H ⊙ (Wᵀ·(X ⊘ WH)) / colsum(W)   (WH with the new W)
// Denominators and WH are kept ≥ EPSILON (float32 eps, scikit-learn's guard value).

import type { BenchProblem } from './problem.js';
import { openPlan } from './profile.js';
import type { GpuProfile } from '../../src/params.js';

export type Loss = 'frobenius' | 'kullback-leibler';

const EPSILON = 1.1920928955078125e-7;

/** A library's MU loop on one problem: queue iterations, wait for the GPU, read the factors. */
export interface MuRunner {
  iterate(count: number): void;
  /** resolves once every queued iteration has run on the GPU */
  sync(): Promise<void>;
  read(): Promise<{ W: Float32Array; H: Float32Array }>;
  dispose(): void;
}

/**
 * webnmf's own loop at the same granularity: the FitPlan the WebGPU backend builds (what a public fit
 * runs between two checks), its steps called as the 'mu' solver calls them.
 */
export async function webnmfRunner(device: GPUDevice, p: BenchProblem, loss: Loss, gpuProfile: GpuProfile = 'auto'): Promise<MuRunner> {
  const { plan, dispose } = await openPlan(device, p, loss === 'frobenius' ? 2 : 1, gpuProfile);
  const step = { l1: 0, l2: 0, gamma: 1 };
  return {
    iterate(count) {
      for (let t = 0; t < count; t++) {
        plan.muUpdateW(step);
        plan.muUpdateH(step);
      }
    },
    sync: () => device.queue.onSubmittedWorkDone(),
    async read() {
      const { W, H } = await plan.read();
      return { W: Float32Array.from(W.data), H: Float32Array.from(H.data) };
    },
    dispose,
  };
}

type Jax = typeof import('@jax-js/jax');
type JaxArray = import('@jax-js/jax').Array;

export function jaxRunner(jax: Jax, p: BenchProblem, loss: Loss): MuRunner {
  const { numpy: np, jit } = jax;
  // jax-js arrays are reference counted: every use but the last takes `.ref`.
  const frobenius = jit((X: JaxArray, W: JaxArray, H: JaxArray) => {
    const XHt = np.matmul(X.ref, H.ref.transpose());
    const HHt = np.matmul(H.ref, H.ref.transpose());
    const W2 = W.ref.mul(XHt).div(np.maximum(np.matmul(W, HHt), EPSILON));
    const WtX = np.matmul(W2.ref.transpose(), X);
    const WtW = np.matmul(W2.ref.transpose(), W2.ref);
    const H2 = H.ref.mul(WtX).div(np.maximum(np.matmul(WtW, H), EPSILON));
    return [W2, H2];
  });
  const kullbackLeibler = jit((X: JaxArray, W: JaxArray, H: JaxArray) => {
    const WH = np.maximum(np.matmul(W.ref, H.ref), EPSILON);
    const W2 = W.mul(np.matmul(X.ref.div(WH), H.ref.transpose())).div(H.ref.sum(1));
    const WH2 = np.maximum(np.matmul(W2.ref, H.ref), EPSILON);
    const H2 = H.mul(np.matmul(W2.ref.transpose(), X.div(WH2))).div(W2.ref.sum(0).reshape([-1, 1]));
    return [W2, H2];
  });
  const step = loss === 'frobenius' ? frobenius : kullbackLeibler;
  const f32 = (a: Float64Array, shape: number[]) => np.array(Float32Array.from(a)).reshape(shape);
  const X = f32(p.X, [p.m, p.n]);
  let W = f32(p.W0, [p.m, p.k]);
  let H = f32(p.H0, [p.k, p.n]);
  return {
    iterate(count) {
      for (let t = 0; t < count; t++) [W, H] = step(X.ref, W, H) as [JaxArray, JaxArray];
    },
    async sync() {
      await jax.blockUntilReady([W, H]); // does not consume
    },
    async read() {
      return { W: (await W.ref.data()) as Float32Array, H: (await H.ref.data()) as Float32Array };
    },
    dispose() {
      X.dispose();
      W.dispose();
      H.dispose();
      step.dispose();
    },
  };
}

type Tf = typeof import('@tensorflow/tfjs-core');
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

export function tfRunner(tf: Tf, p: BenchProblem, loss: Loss): MuRunner {
  const X = tf.tensor2d(Float32Array.from(p.X), [p.m, p.n]);
  let W = tf.tensor2d(Float32Array.from(p.W0), [p.m, p.k]);
  let H = tf.tensor2d(Float32Array.from(p.H0), [p.k, p.n]);
  // tfjs-core alone registers no chained ops (a.mul(b)): the functional forms, as in its API docs.
  const frobenius = (W: Tensor2D, H: Tensor2D): [Tensor2D, Tensor2D] => {
    const W2 = tf.tidy(() => tf.div(tf.mul(W, tf.matMul(X, H, false, true)), tf.maximum(tf.matMul(W, tf.matMul(H, H, false, true)), EPSILON)) as Tensor2D);
    const H2 = tf.tidy(() => tf.div(tf.mul(H, tf.matMul(W2, X, true, false)), tf.maximum(tf.matMul(tf.matMul(W2, W2, true, false), H), EPSILON)) as Tensor2D);
    return [W2, H2];
  };
  const kullbackLeibler = (W: Tensor2D, H: Tensor2D): [Tensor2D, Tensor2D] => {
    const W2 = tf.tidy(() => {
      const WH = tf.maximum(tf.matMul(W, H), EPSILON);
      return tf.div(tf.mul(W, tf.matMul(tf.div(X, WH), H, false, true)), tf.sum(H, 1)) as Tensor2D;
    });
    const H2 = tf.tidy(() => {
      const WH = tf.maximum(tf.matMul(W2, H), EPSILON);
      return tf.div(tf.mul(H, tf.matMul(W2, tf.div(X, WH), true, false)), tf.reshape(tf.sum(W2, 0), [-1, 1])) as Tensor2D;
    });
    return [W2, H2];
  };
  const step = loss === 'frobenius' ? frobenius : kullbackLeibler;
  return {
    iterate(count) {
      for (let t = 0; t < count; t++) {
        const [W2, H2] = step(W, H);
        W.dispose();
        H.dispose();
        [W, H] = [W2, H2];
      }
    },
    async sync() {
      // TF.js has no "wait"; reading one entry flushes its queue and waits for all of it.
      const one = tf.slice(H, [0, 0], [1, 1]);
      await one.data();
      one.dispose();
    },
    async read() {
      return { W: (await W.data()) as Float32Array, H: (await H.data()) as Float32Array };
    },
    dispose() {
      X.dispose();
      W.dispose();
      H.dispose();
    },
  };
}
