// The NMF options as kebab-case flags, one table for both commands. A value that reads as a number
// becomes one; 'none' becomes null where the option takes null; anything else goes to the library
// as given, so a bad value is refused with the library's own message (naming the rule).
// Not flags: device (a GPUDevice object), signal (Ctrl-C aborts the fit), onProgress (the progress
// bar), onWarning (warnings print as `webnmf: ConvergenceWarning: …`).

import type { ParseArgsConfig } from 'node:util';
import type { FactorizationOptions, MiniBatchOnlyOptions } from '../params.js';
import { CliError } from './errors.js';

interface Flag {
  param: keyof FactorizationOptions | keyof MiniBatchOnlyOptions;
  meta: string;
  help: string;
  /** accepts 'none' (scikit-learn's None) */
  nullable?: boolean;
  boolean?: boolean;
}

export const NMF_FLAGS: Record<string, Flag> = {
  'n-components': { param: 'nComponents', meta: 'K|auto|none', help: 'number of components (none: every feature)', nullable: true },
  init: { param: 'init', meta: 'METHOD|none', help: "random, nndsvd, nndsvda, nndsvdar, custom; none: scikit-learn's rule", nullable: true },
  solver: { param: 'solver', meta: 'cd|mu|pg', help: "coordinate descent, multiplicative update, or scikit-learn 0.18's projected gradient" },
  'beta-loss': { param: 'betaLoss', meta: 'LOSS', help: 'frobenius, kullback-leibler, itakura-saito or a number (mu)' },
  tol: { param: 'tol', meta: 'X', help: 'tolerance of the stopping condition' },
  'max-iter': { param: 'maxIter', meta: 'N', help: 'maximum number of iterations' },
  'alpha-w': { param: 'alphaW', meta: 'X', help: 'regularization of W' },
  'alpha-h': { param: 'alphaH', meta: 'X|same', help: 'regularization of H' },
  'l1-ratio': { param: 'l1Ratio', meta: 'X', help: 'L1 share of the regularization, in [0, 1]' },
  'random-state': { param: 'randomState', meta: 'SEED|none', help: "seed of numpy's RandomState, as scikit-learn", nullable: true },
  shuffle: { param: 'shuffle', meta: '', help: "randomize the order of coordinates ('cd')", boolean: true },
  verbose: { param: 'verbose', meta: '', help: "print the solver's own progress lines", boolean: true },
  backend: { param: 'backend', meta: 'auto|webgpu|gpujs|cpu', help: 'where to compute' },
  'gpu-profile': { param: 'gpuProfile', meta: 'auto|hardware|software', help: "WebGPU kernel plan: for real GPUs, or for software adapters (SwiftShader); auto: by the adapter" },
  'check-every': { param: 'checkEvery', meta: 'N', help: 'iterations between convergence checks' },
  'nls-max-iter': { param: 'nlsMaxIter', meta: 'N', help: "iterations of each least squares subproblem ('pg')" },
  sparseness: { param: 'sparseness', meta: 'data|components|none', help: "where to enforce sparseness ('pg')", nullable: true },
  beta: { param: 'beta', meta: 'X', help: "degree of sparseness ('pg', with --sparseness)" },
  eta: { param: 'eta', meta: 'X', help: "degree of correctness to keep ('pg', with --sparseness)" },
};

/** MiniBatchNMF's own options, for `webnmf fit --minibatch`. */
export const MINIBATCH_FLAGS: Record<string, Flag> = {
  'batch-size': { param: 'batchSize', meta: 'N', help: 'rows per mini-batch (--minibatch)' },
  'forget-factor': { param: 'forgetFactor', meta: 'X', help: 'weight of past batches in H, in [0, 1] (--minibatch)' },
  'fresh-restarts': { param: 'freshRestarts', meta: '', help: 'solve W from scratch for every batch (--minibatch)', boolean: true },
  'fresh-restarts-max-iter': { param: 'freshRestartsMaxIter', meta: 'N', help: 'iterations of each fresh-restart solve (--minibatch)' },
  'transform-max-iter': { param: 'transformMaxIter', meta: 'N|none', help: "iterations of transform's solve; none: --max-iter (--minibatch)", nullable: true },
  'max-no-improvement': { param: 'maxNoImprovement', meta: 'N|none', help: 'stop after N steps without progress of the smoothed cost (--minibatch)', nullable: true },
};

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function nmfFlagConfig(table: Record<string, Flag> = NMF_FLAGS): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(table).map(([name, f]) => [name, { type: f.boolean ? 'boolean' : 'string' }] as const));
}

/** The NMF options the user gave, converted; flags not given are absent. */
export function nmfOptions(values: Record<string, unknown>, table: Record<string, Flag> = NMF_FLAGS): Partial<FactorizationOptions> {
  const out: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(table)) {
    const raw = values[name];
    if (raw === undefined) continue;
    if (typeof raw === 'boolean') out[flag.param] = flag.param === 'verbose' ? Number(raw) : raw;
    else if (flag.nullable && /^(none|null)$/i.test(raw as string)) out[flag.param] = null;
    else out[flag.param] = NUMBER.test(raw as string) ? Number(raw) : raw;
  }
  return out as Partial<FactorizationOptions>;
}

/** The help lines of the NMF flags, with the defaults of the command. */
export function nmfFlagHelp(defaults: Record<string, string>, table: Record<string, Flag> = NMF_FLAGS): string[] {
  return Object.entries(table).map(([name, f]) => {
    const left = `  --${name}${f.meta ? ` ${f.meta}` : ''}`;
    const def = defaults[name] !== undefined ? ` (default ${defaults[name]})` : '';
    return `${left.padEnd(30)} ${f.help}${def}`;
  });
}

/** An integer flag of the CLI's own (not the library's): its value, the fallback, or a usage error. */
export function intFlag(values: Record<string, unknown>, name: string, fallback: number, min = 1): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(String(raw)) || Number(raw) < min) throw new CliError(`--${name} must be an integer >= ${min}. Got '${String(raw)}' instead.`, 2);
  return Number(raw);
}

/** A number flag of the CLI's own, or a usage error. */
export function numberFlag(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!NUMBER.test(String(raw))) throw new CliError(`--${name} must be a number. Got '${String(raw)}' instead.`, 2);
  return Number(raw);
}
