// The scikit-learn MiniBatchNMF cases (test/fixtures/minibatch.json, written by
// test/fixtures/gen_minibatch.py), shared by the Node suites and the browser pages.

import fixtures from './fixtures/minibatch.json' with { type: 'json' };
import type { MiniBatchNMFOptions } from '../src/index.js';
import type { DenseFixture, MatrixFixture } from './parity-cases.js';

export interface MiniBatchCase {
  name: string;
  /** 'fit': fit_transform(X); 'partial': partial_fit on each of `batches` */
  kind: 'fit' | 'partial';
  X?: MatrixFixture;
  batches?: MatrixFixture[];
  /** the matrix given to transform afterwards */
  X2: MatrixFixture;
  W0: DenseFixture | null;
  H0: DenseFixture | null;
  options: MiniBatchNMFOptions;
  expected: { W?: DenseFixture; H: DenseFixture; nIter?: number; nSteps: number; reconstructionErr?: number; transformW: DenseFixture };
}

export const minibatchCases: readonly MiniBatchCase[] = (fixtures as unknown as { cases: MiniBatchCase[] }).cases;
