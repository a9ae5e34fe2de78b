// The public API: nonNegativeFactorization and the NMF estimator (scikit-learn's names in camelCase).

import { fitFactors, type FitResult } from './fit.js';
import { InvalidParameterError, NMFError } from './errors.js';
import { toDataMatrix, toDenseMatrix } from './matrix/coerce.js';
import { matmul, type DenseMatrix, type MatrixInput } from './matrix/matrix.js';
import { encodeMatrix, MODEL_FORMAT_VERSION, readEstimator, savedParams, type LoadOption, type SavedArray, type SavedEnvelope } from './model-format.js';
import { ESTIMATOR_PARAMS, FUNCTION_PARAMS, resolveOptions, resolveStart, type FactorizationOptions, type NMFOptions, type ResolvedOptions } from './params.js';
import { CallQueue } from './serial.js';
import { throwIfAborted } from './solvers/loop.js';

export interface Factorization {
  W: DenseMatrix;
  H: DenseMatrix;
  nIter: number;
}

/**
 * Find non-negative W (nSamples × k) and H (k × nFeatures) with X ≈ W·H, minimizing
 *   0.5·‖X − WH‖²_β + αW·l1·nFeatures·‖W‖₁ + αH·l1·nSamples·‖H‖₁
 *   + 0.5·αW·(1−l1)·nFeatures·‖W‖²_F + 0.5·αH·(1−l1)·nSamples·‖H‖²_F
 * exactly as sklearn.decomposition.non_negative_factorization does.
 */
export async function nonNegativeFactorization(X: MatrixInput, options: FactorizationOptions = {}): Promise<Factorization> {
  const o = resolveOptions(options, FUNCTION_PARAMS, 'nonNegativeFactorization');
  throwIfAborted(o.signal);
  const { W, H, nIter } = await fitFactors({ X: toDataMatrix(X, 'X'), W: o.W, H: o.H, updateH: o.updateH, options: o, mask: o.mask });
  return { W, H, nIter };
}

const START_FIELDS = ['W', 'H', 'mask'] as const;

/** A custom start (init 'custom'), and weighted NMF's mask, given with the data. */
export interface FitStart {
  W?: MatrixInput | null;
  H?: MatrixInput | null;
  /** the weight of each entry of X in the loss (see nonNegativeFactorization's mask) */
  mask?: MatrixInput | null;
}

/** A saved NMF (NMF#toJSON): its options and, once fitted, what fit learned. */
export interface SavedNMF extends SavedEnvelope<'webnmf.NMF'> {
  /** the estimator's options, all of them but device, signal, onProgress and onWarning */
  params: Record<string, unknown>;
  fitted: {
    /** H, nComponentsOut × nFeaturesIn: float64 from the CPU, float32 from a GPU backend */
    components: SavedArray;
    nComponentsOut: number;
    nFeaturesIn: number;
    nIter: number;
    reconstructionErr: number;
  } | null;
}

/** What NMF.fromJSON's options may set: where and how the restored model runs. */
export type NMFLoadOptions = Pick<NMFOptions, LoadOption>;

/** The NMF estimator: fit learns `components` (H); transform solves W for new data with H fixed. */
export class NMF {
  private readonly options: ResolvedOptions;
  /** H: k × nFeatures */
  components?: DenseMatrix;
  nComponentsOut?: number;
  nFeaturesIn?: number;
  nIter?: number;
  /** sqrt(2·β-divergence) between the training X and W·H */
  reconstructionErr?: number;
  /** where the last fit ran, e.g. "cpu (float64)" */
  backendUsed?: string;
  /** fit, fitTransform and transform run one at a time, in call order */
  private readonly calls = new CallQueue();

  constructor(options: NMFOptions = {}) {
    this.options = resolveOptions(options, ESTIMATOR_PARAMS, 'NMF');
  }

  /** Learn the model; returns this. */
  async fit(X: MatrixInput, start: FitStart | null = {}): Promise<this> {
    await this.fitTransform(X, start);
    return this;
  }

  /** Learn the model and return W for X (more efficient than fit then transform). */
  fitTransform(X: MatrixInput, start: FitStart | null = {}): Promise<DenseMatrix> {
    return this.queued(() => this.fitTransformNow(X, resolveStart(start, START_FIELDS, 'NMF.fitTransform')));
  }

  /** Run `call` after the calls before it; a signal aborted already rejects it at once. */
  private queued<T>(call: () => Promise<T>): Promise<T> {
    return this.calls.run(call, this.options.signal);
  }

  private async fitTransformNow(X: MatrixInput, start: FitStart): Promise<DenseMatrix> {
    const Xm = toDataMatrix(X, 'X');
    const r: FitResult = await fitFactors({ X: Xm, W: start.W, H: start.H, updateH: true, options: this.options, computeError: true, mask: start.mask });
    this.components = r.H;
    this.nComponentsOut = r.H.rows;
    this.nFeaturesIn = Xm.cols;
    this.nIter = r.nIter;
    this.reconstructionErr = r.reconstructionErr;
    this.backendUsed = r.backend;
    return r.W;
  }

  /** W for new data X, with the learned components fixed. */
  transform(X: MatrixInput, given: { mask?: MatrixInput | null } | null = {}): Promise<DenseMatrix> {
    return this.queued(async () => {
      const { mask } = resolveStart(given, ['mask'], 'NMF.transform');
      const H = this.fitted();
      const Xm = toDataMatrix(X, 'X');
      if (Xm.cols !== this.nFeaturesIn) {
        throw new InvalidParameterError('X', `X has ${Xm.cols} features, but NMF is expecting ${this.nFeaturesIn} features as input.`);
      }
      const r = await fitFactors({ X: Xm, W: null, H, updateH: false, options: this.options, mask });
      return r.W;
    });
  }

  /** W·components: data back in the original space. */
  async inverseTransform(W: MatrixInput): Promise<DenseMatrix> {
    const H = this.fitted();
    const Wm = toDenseMatrix(W, 'W', { allowNegative: true });
    if (Wm.cols !== H.rows) throw new InvalidParameterError('W', `W has ${Wm.cols} columns, but this NMF has ${H.rows} components.`);
    return matmul(Wm, H);
  }

  private fitted(): DenseMatrix {
    if (!this.components) throw new NMFError("This NMF instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.");
    return this.components;
  }

  /** The model as a plain, versioned object for JSON.stringify (see the README's "Saving and loading models"). */
  toJSON(): SavedNMF {
    const H = this.components;
    return {
      format: 'webnmf.NMF',
      version: MODEL_FORMAT_VERSION,
      params: savedParams(this.options, ESTIMATOR_PARAMS),
      fitted: H ? { components: encodeMatrix(H), nComponentsOut: H.rows, nFeaturesIn: this.nFeaturesIn!, nIter: this.nIter!, reconstructionErr: this.reconstructionErr! } : null,
    };
  }

  /**
   * The model that toJSON() saved (or JSON.parse of its text), on any backend: `options` may set
   * backend, device, signal, onProgress, onWarning, verbose and checkEvery. A bad, newer or damaged
   * file is refused with an InvalidParameterError naming the field.
   */
  static fromJSON(json: unknown, options: NMFLoadOptions = {}): NMF {
    return loadNMF(json, options);
  }
}

// Outside the class: a class that names itself inside its body gets renamed by bundlers (NMF2).
function loadNMF(json: unknown, options: NMFLoadOptions): NMF {
  const { read, params, fitted } = readEstimator(json, 'webnmf.NMF', options, ESTIMATOR_PARAMS);
  const model = new NMF(params);
  if (fitted) {
    const { fit, k, n } = fitted;
    model.components = read.matrix(fit, 'fitted.components', k, n);
    model.nComponentsOut = k;
    model.nFeaturesIn = n;
    model.nIter = read.int(fit, 'fitted.nIter', 0)!;
    model.reconstructionErr = read.number(fit, 'fitted.reconstructionErr')!;
  }
  return model;
}
