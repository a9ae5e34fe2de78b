// How much memory an input may ask for, checked before anything is allocated: one rule for the
// library and the CLI's readers. A tiny input can declare a huge size (a 70-byte .mtx of 5e8 rows,
// nComponents: 1e9 on a 1 × 2 X); allocating first would block for minutes, then crash.
//
// The rule, in two parts:
// 1. One array holds at most 2³² elements (V8's typed-array limit, Node and Chrome), and row and column
//    indices are 32-bit (CSR's Int32Array indices, the GPU kernels' u32 indices): at most 2³¹ − 1.
// 2. A fit (X as stored, W and H, the solver's workspace) needs at most the budget: half of the
//    machine's memory in Node (os.totalmem() / 2), 4 GiB elsewhere (a browser tab: half of
//    navigator.deviceMemory when the browser tells it). A fit that asks for more would swap the
//    machine to a halt or be killed, so it is refused with the sizes it asked for.

import { InvalidParameterError } from '../errors.js';

/** The most elements one typed array holds (V8). */
export const MAX_ARRAY_ELEMENTS = 2 ** 32;
/** The largest row or column count: indices are 32-bit signed in CSR and on the GPU. */
export const MAX_INDEX = 2 ** 31 - 1;

const GiB = 2 ** 30;

export interface MemoryBudget {
  bytes: number;
  /** where the number comes from, for messages */
  source: string;
}

/** The bytes one fit may use here (see the rule above). */
export function memoryBudget(): MemoryBudget {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = node?.getBuiltinModule?.('node:os') as { totalmem(): number } | undefined;
  if (os) return { bytes: os.totalmem() / 2, source: `half of this machine's ${formatBytes(os.totalmem())}` };
  const deviceGiB = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
  if (typeof deviceGiB === 'number' && deviceGiB > 0) return { bytes: (deviceGiB * GiB) / 2, source: `half of this device's ${deviceGiB} GiB` };
  return { bytes: 4 * GiB, source: 'the limit for a browser tab' };
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes, u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** The shape of a fit, as far as memory goes. */
export interface FitShape {
  rows: number;
  cols: number;
  /** stored entries of a CSR X; null for dense X */
  stored: number | null;
  k: number;
  /** a dense m × n copy of X is made (weighted NMF's imputed start) */
  denseCopy?: boolean;
  /** MiniBatchNMF: the solver works on batches of this many rows (W is still held whole) */
  batchRows?: number;
}

export interface Footprint {
  X: number;
  factors: number;
  workspace: number;
  total: number;
}

/**
 * Bytes a fit holds at its peak, in float64: X as stored; W and H; and the workspace: a backend's
 * copies of X (dense) and of W and H, and the products, numerators and denominators of each factor's
 * update (about three more arrays of W's size and three of H's). Estimated low rather than high, so
 * a fit that would run is never refused.
 */
export function fitFootprint(s: FitShape): Footprint {
  const dense = s.rows * s.cols * 8;
  const X = s.stored === null ? dense : (s.rows + 1) * 4 + s.stored * 12;
  const factors = (s.rows * s.k + s.k * s.cols) * 8;
  const rows = s.batchRows ?? s.rows;
  const workspace = 4 * (rows * s.k + s.k * s.cols) * 8 + (s.stored === null || s.denseCopy ? rows * s.cols * 8 : 0);
  return { X, factors, workspace, total: X + factors + workspace };
}

/**
 * Refuse a fit that needs more memory than the budget, or an array larger than one can be, naming
 * the sizes. The error names nComponents when a smaller k would fit (k was the ask), else X.
 * `kFrom` says where k came from, for the message (e.g. "nComponents: null means k = n_features").
 */
export function checkFitMemory(s: FitShape, kFrom = `nComponents = ${s.k}`, budget = memoryBudget()): void {
  const shape = `${s.rows} × ${s.cols}`;
  for (const [what, count] of [['rows', s.rows], ['columns', s.cols]] as const) {
    if (count > MAX_INDEX) throw new InvalidParameterError('X', `X has ${count} ${what} (${shape}): at most ${MAX_INDEX} can be indexed (indices are 32-bit).`);
  }
  const arrays: [string, number, 'X' | 'nComponents'][] = [
    [`W (${s.rows} × ${s.k})`, s.rows * s.k, 'nComponents'],
    [`H (${s.k} × ${s.cols})`, s.k * s.cols, 'nComponents'],
  ];
  if (s.stored === null || s.denseCopy) arrays.push([`X (${shape}, dense)`, s.rows * s.cols, 'X']);
  for (const [what, count, parameter] of arrays) {
    if (count > MAX_ARRAY_ELEMENTS) {
      const blame = parameter === 'nComponents' && s.rows * s.cols <= MAX_ARRAY_ELEMENTS && Math.max(s.rows, s.cols) <= MAX_ARRAY_ELEMENTS ? 'nComponents' : 'X';
      throw new InvalidParameterError(blame, `${kFrom}: ${what} would hold ${count} values, more than one array can (${MAX_ARRAY_ELEMENTS}). ${advice(blame, s)}`);
    }
  }
  const need = fitFootprint(s);
  if (need.total <= budget.bytes) return;
  const blame = fitFootprint({ ...s, k: 1 }).total <= budget.bytes ? 'nComponents' : 'X';
  throw new InvalidParameterError(
    blame,
    `${kFrom}: a fit of X (${shape}${s.stored === null ? ', dense' : `, sparse with ${s.stored} stored entries`}) with W ${s.rows} × ${s.k} and H ${s.k} × ${s.cols} needs about ${formatBytes(need.total)} ` +
      `(X ${formatBytes(need.X)}, W and H ${formatBytes(need.factors)}, the solver's workspace ${formatBytes(need.workspace)}), more than the ${formatBytes(budget.bytes)} a fit may use here (${budget.source}). ${advice(blame, s)}`,
  );
}

function advice(blame: 'X' | 'nComponents', s: FitShape): string {
  return blame === 'nComponents'
    ? `Use a smaller nComponents (at most min(n_samples, n_features) = ${Math.min(s.rows, s.cols)} is usual).`
    : 'Use fewer rows or columns, or MiniBatchNMF on row blocks (it holds one batch of X at a time).';
}

/** One array of `count` elements that a reader is about to allocate; refused when it cannot be. */
export function checkArrayLength(parameter: string, what: string, count: number, bytesPerElement = 8, budget = memoryBudget()): void {
  if (count > MAX_ARRAY_ELEMENTS || count * bytesPerElement > budget.bytes) {
    throw new InvalidParameterError(
      parameter,
      `${what} would need ${count} values (${formatBytes(count * bytesPerElement)}), more than can be allocated here (at most ${MAX_ARRAY_ELEMENTS} values in one array, ${formatBytes(budget.bytes)} in all: ${budget.source}).`,
    );
  }
}
