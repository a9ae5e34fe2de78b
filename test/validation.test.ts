// Bad input, one case each: every case asserts the error class, the parameter it names and the rule
// its message states (scikit-learn's test_parameter_checking and test_non_negative_factorization_checking,
// plus the common tests' declarative checks). The table-driven options are also walked from PARAMS, so
// a new option is covered by the message-shape checks at the bottom without editing this file.

import { describe, expect, it } from 'vitest';
import { InvalidParameterError, MiniBatchNMF, NMF, NMFError, nonNegativeFactorization, type FactorizationOptions } from '../src/index.js';
import { ESTIMATOR_PARAMS, FUNCTION_PARAMS, MINIBATCH_PARAMS, PARAMS, type ParamName } from '../src/params.js';

type ErrorClass = typeof InvalidParameterError | typeof NMFError;

interface BadInput {
  name: string;
  run: () => unknown;
  error: ErrorClass;
  /** the `parameter` the error names; undefined for NMFError, which names none */
  parameter: string | undefined;
  /** the rule, as the message states it */
  message: RegExp;
}

/** A small valid X (2 × 2, strictly positive). */
const A = [
  [1, 2],
  [3, 4],
];
/** X with a zero: refused by β ≤ 0. */
const A_ZERO = [
  [1, 0],
  [3, 4],
];
/** The same, as CSR: the zero is implicit. */
const A_ZERO_CSR = { rows: 2, cols: 2, indptr: [0, 1, 3], indices: [0, 0, 1], data: [1, 3, 4] };
/** A 2 × 3 CSR X, valid; the CSR cases below break one thing each. */
const csr = (over: Record<string, unknown> = {}) => ({ rows: 2, cols: 3, indptr: [0, 2, 3], indices: [0, 2, 1], data: [1, 2, 3], ...over });

/** Run the function on the CPU with a short fit; `X` and options are deliberately untyped. */
const nnf = (X: unknown, options: Record<string, unknown> = {}) =>
  nonNegativeFactorization(X as never, { backend: 'cpu', maxIter: 5, ...options } as FactorizationOptions);
/** An option's rule is broken by `value`. */
const withOption = (name: string, value: unknown) => () => nnf(A, { [name]: value });

const RANGE_INT_1 = /an int in the range \[1, inf\)/;

/** The message of a table-driven option: "The 'x' parameter of caller must be <rules>. Got <value> instead." */
const tableMessage = (name: string, rule: RegExp, got: string, caller = 'nonNegativeFactorization') =>
  new RegExp(`^The '${name}' parameter of ${caller} must be .*${rule.source}.*\\. Got ${got} instead\\.$`);

const IPE = InvalidParameterError;

const badInputs: BadInput[] = [
  // X: values
  { name: 'X negative', run: () => nnf([[1, -1], [2, 3]]), error: IPE, parameter: 'X', message: /^Negative values in data passed to X/ },
  { name: 'X contains NaN', run: () => nnf([[1, NaN], [2, 3]]), error: IPE, parameter: 'X', message: /contains NaN/ },
  { name: 'X contains +Infinity', run: () => nnf([[1, Infinity], [2, 3]]), error: IPE, parameter: 'X', message: /contains infinity/ },
  { name: 'X contains -Infinity', run: () => nnf([[1, -Infinity], [2, 3]]), error: IPE, parameter: 'X', message: /contains infinity/ },
  { name: 'X has a string entry', run: () => nnf([[1, '2'], [2, 3]]), error: IPE, parameter: 'X', message: /contains a non-number \(string\)/ },
  { name: 'X has a null entry', run: () => nnf([[1, null], [2, 3]]), error: IPE, parameter: 'X', message: /contains a non-number \(object\)/ },
  { name: 'X has a hole (undefined)', run: () => nnf([[1, undefined], [2, 3]]), error: IPE, parameter: 'X', message: /contains a non-number \(undefined\)/ },
  // X: shape
  { name: 'X empty []', run: () => nnf([]), error: IPE, parameter: 'X', message: /0 sample\(s\).*minimum of 1 is required/ },
  { name: 'X zero columns [[]]', run: () => nnf([[]]), error: IPE, parameter: 'X', message: /0 feature\(s\).*minimum of 1 is required/ },
  { name: 'X ragged rows', run: () => nnf([[1, 2], [3]]), error: IPE, parameter: 'X', message: /ragged: row 0 has 2 values but row 1 has 1/ },
  { name: 'X a row that is not an array', run: () => nnf([[1, 2], 3]), error: IPE, parameter: 'X', message: /ragged/ },
  { name: 'X 1-D array', run: () => nnf([1, 2, 3]), error: IPE, parameter: 'X', message: /must be a 2-D array/ },
  { name: 'X dense data too short', run: () => nnf({ rows: 2, cols: 2, data: [1, 2, 3] }), error: IPE, parameter: 'X', message: /data must hold rows·cols = 4 values\. Got 3/ },
  { name: 'X dense data too long', run: () => nnf({ rows: 2, cols: 2, data: new Float64Array(5) }), error: IPE, parameter: 'X', message: /data must hold rows·cols = 4 values\. Got 5/ },
  { name: 'X dense rows not an integer', run: () => nnf({ rows: 1.5, cols: 2, data: [1, 2, 3] }), error: IPE, parameter: 'X', message: /X\.rows must be a non-negative integer/ },
  { name: 'X dense negative value', run: () => nnf({ rows: 1, cols: 2, data: [1, -2] }), error: IPE, parameter: 'X', message: /^Negative values in data passed to X/ },
  // X: CSR
  { name: 'X CSR indptr too short', run: () => nnf(csr({ indptr: [0, 3] })), error: IPE, parameter: 'X', message: /indptr must have rows \+ 1 = 3 entries\. Got 2/ },
  { name: 'X CSR indptr not non-decreasing', run: () => nnf(csr({ indptr: [0, 4, 3] })), error: IPE, parameter: 'X', message: /indptr must be non-decreasing/ },
  { name: 'X CSR indptr not ending at data.length', run: () => nnf(csr({ indptr: [0, 2, 2] })), error: IPE, parameter: 'X', message: /indptr must start at 0 and end at data\.length/ },
  { name: 'X CSR index out of range', run: () => nnf(csr({ indices: [0, 3, 1] })), error: IPE, parameter: 'X', message: /indices\[1\] = 3 is out of range \[0, 3\)/ },
  { name: 'X CSR negative index', run: () => nnf(csr({ indices: [-1, 2, 1] })), error: IPE, parameter: 'X', message: /indices\[0\] = -1 is out of range/ },
  { name: 'X CSR indices and data of different lengths', run: () => nnf(csr({ indices: [0, 2] })), error: IPE, parameter: 'X', message: /indices and X\.data must be arrays of the same length/ },
  { name: 'X CSR negative value', run: () => nnf(csr({ data: [1, -2, 3] })), error: IPE, parameter: 'X', message: /^Negative values in data passed to X/ },
  { name: 'X CSR NaN value', run: () => nnf(csr({ data: [1, NaN, 3] })), error: IPE, parameter: 'X', message: /contains NaN/ },
  { name: 'X CSR Infinity value', run: () => nnf(csr({ data: [1, Infinity, 3] })), error: IPE, parameter: 'X', message: /contains infinity/ },
  // X: not a matrix
  { name: 'X a string', run: () => nnf('1 2; 3 4'), error: IPE, parameter: 'X', message: /must be a matrix.*Got string/ },
  { name: 'X null', run: () => nnf(null), error: IPE, parameter: 'X', message: /must be a matrix.*Got null/ },
  { name: 'X undefined', run: () => nnf(undefined), error: IPE, parameter: 'X', message: /must be a matrix.*Got undefined/ },
  { name: 'X a number', run: () => nnf(3), error: IPE, parameter: 'X', message: /must be a matrix.*Got number/ },
  { name: 'X a Float64Array (no shape)', run: () => nnf(new Float64Array(4)), error: IPE, parameter: 'X', message: /must be a matrix/ },

  // custom W and H (scikit-learn's _check_init)
  { name: 'custom W of the wrong shape', run: () => nnf(A, { init: 'custom', nComponents: 2, W: [[1, 1, 1], [1, 1, 1]], H: A }), error: IPE, parameter: 'W', message: /wrong shape passed to NMF \(input W\)\. Expected \(2, 2\), but got \(2, 3\)/ },
  { name: 'custom H of the wrong shape', run: () => nnf(A, { init: 'custom', nComponents: 2, W: A, H: [[1, 1]] }), error: IPE, parameter: 'H', message: /wrong shape passed to NMF \(input H\)\. Expected \(2, 2\), but got \(1, 2\)/ },
  { name: 'custom W negative', run: () => nnf(A, { init: 'custom', nComponents: 2, W: [[1, -1], [1, 1]], H: A }), error: IPE, parameter: 'W', message: /^Negative values in data passed to W/ },
  { name: 'custom H negative', run: () => nnf(A, { init: 'custom', nComponents: 2, W: A, H: [[1, -1], [1, 1]] }), error: IPE, parameter: 'H', message: /^Negative values in data passed to H/ },
  { name: 'custom H all zeros', run: () => nnf(A, { init: 'custom', nComponents: 2, W: A, H: [[0, 0], [0, 0]] }), error: IPE, parameter: 'H', message: /Array passed to NMF \(input H\) is full of zeros/ },
  { name: 'custom W all zeros', run: () => nnf(A, { init: 'custom', nComponents: 2, W: [[0, 0], [0, 0]], H: A }), error: IPE, parameter: 'W', message: /Array passed to NMF \(input W\) is full of zeros/ },
  { name: 'custom W contains NaN', run: () => nnf(A, { init: 'custom', nComponents: 2, W: [[1, NaN], [1, 1]], H: A }), error: IPE, parameter: 'W', message: /W contains NaN/ },
  { name: 'init custom without W', run: () => nnf(A, { init: 'custom', nComponents: 2, H: A }), error: IPE, parameter: 'W', message: /init='custom'.*W is missing/ },
  { name: 'init custom without H', run: () => nnf(A, { init: 'custom', nComponents: 2, W: A }), error: IPE, parameter: 'H', message: /init='custom'.*H is missing/ },
  { name: 'updateH false without H', run: () => nnf(A, { updateH: false, nComponents: 2 }), error: IPE, parameter: 'H', message: /updateH: false.*H must be given/ },
  { name: 'custom H given as CSR', run: () => nnf(A, { init: 'custom', nComponents: 2, W: A, H: csr({ rows: 2, cols: 2, indptr: [0, 1, 2], indices: [0, 1], data: [1, 1] }) }), error: IPE, parameter: 'H', message: /H must be dense/ },
  { name: 'custom W a string', run: () => nnf(A, { init: 'custom', nComponents: 2, W: 'ones', H: A }), error: IPE, parameter: 'W', message: /'W' parameter of nonNegativeFactorization must be a matrix or null/ },

  // table-driven options: one bad value each
  { name: 'nComponents 0', run: withOption('nComponents', 0), error: IPE, parameter: 'nComponents', message: tableMessage('nComponents', RANGE_INT_1, '0') },
  { name: 'nComponents -1', run: withOption('nComponents', -1), error: IPE, parameter: 'nComponents', message: tableMessage('nComponents', RANGE_INT_1, '-1') },
  { name: 'nComponents 2.5', run: withOption('nComponents', 2.5), error: IPE, parameter: 'nComponents', message: tableMessage('nComponents', RANGE_INT_1, '2\\.5') },
  { name: "nComponents 'many'", run: withOption('nComponents', 'many'), error: IPE, parameter: 'nComponents', message: tableMessage('nComponents', /'auto'/, "'many'") },
  { name: "solver 'PG' (case matters)", run: withOption('solver', 'PG'), error: IPE, parameter: 'solver', message: tableMessage('solver', /a str among \{'cd', 'mu', 'pg'\}/, "'PG'") },
  { name: "solver 'foo'", run: withOption('solver', 'foo'), error: IPE, parameter: 'solver', message: tableMessage('solver', /a str among \{'cd', 'mu', 'pg'\}/, "'foo'") },
  { name: "solver 'pg' with betaLoss KL (0.18's pg is Frobenius only)", run: () => nnf(A, { solver: 'pg', betaLoss: 'kullback-leibler' }), error: IPE, parameter: 'betaLoss', message: /solver 'pg' does not handle betaLoss/ },
  { name: "sparseness with solver 'cd'", run: () => nnf(A, { sparseness: 'data' }), error: IPE, parameter: 'sparseness', message: /used only by solver 'pg'/ },
  { name: 'nlsMaxIter 0', run: withOption('nlsMaxIter', 0), error: IPE, parameter: 'nlsMaxIter', message: tableMessage('nlsMaxIter', RANGE_INT_1, '0') },
  { name: "sparseness 'both'", run: withOption('sparseness', 'both'), error: IPE, parameter: 'sparseness', message: tableMessage('sparseness', /a str among \{'data', 'components'\} or null/, "'both'") },
  { name: 'beta -1', run: withOption('beta', -1), error: IPE, parameter: 'beta', message: tableMessage('beta', /a float in the range \[0, inf\)/, '-1') },
  { name: 'eta -1', run: withOption('eta', -1), error: IPE, parameter: 'eta', message: tableMessage('eta', /a float in the range \[0, inf\)/, '-1') },
  { name: "init 'svd'", run: withOption('init', 'svd'), error: IPE, parameter: 'init', message: tableMessage('init', /a str among \{'random', 'nndsvd', 'nndsvda', 'nndsvdar', 'custom'\}/, "'svd'") },
  { name: "betaLoss 'euclidean'", run: withOption('betaLoss', 'euclidean'), error: IPE, parameter: 'betaLoss', message: tableMessage('betaLoss', /'frobenius', 'kullback-leibler', 'itakura-saito'/, "'euclidean'") },
  { name: 'betaLoss NaN', run: withOption('betaLoss', NaN), error: IPE, parameter: 'betaLoss', message: tableMessage('betaLoss', /a finite float/, 'NaN') },
  { name: 'betaLoss Infinity', run: withOption('betaLoss', Infinity), error: IPE, parameter: 'betaLoss', message: tableMessage('betaLoss', /a finite float/, 'Infinity') },
  { name: 'tol -1', run: withOption('tol', -1), error: IPE, parameter: 'tol', message: tableMessage('tol', /a float in the range \[0, inf\)/, '-1') },
  { name: 'tol NaN', run: withOption('tol', NaN), error: IPE, parameter: 'tol', message: tableMessage('tol', /a float in the range \[0, inf\)/, 'NaN') },
  { name: "tol '1e-4' (a string)", run: withOption('tol', '1e-4'), error: IPE, parameter: 'tol', message: tableMessage('tol', /a float in the range \[0, inf\)/, "'1e-4'") },
  { name: 'maxIter 0', run: withOption('maxIter', 0), error: IPE, parameter: 'maxIter', message: tableMessage('maxIter', RANGE_INT_1, '0') },
  { name: 'maxIter 1.5', run: withOption('maxIter', 1.5), error: IPE, parameter: 'maxIter', message: tableMessage('maxIter', RANGE_INT_1, '1\\.5') },
  { name: 'maxIter Infinity', run: withOption('maxIter', Infinity), error: IPE, parameter: 'maxIter', message: tableMessage('maxIter', RANGE_INT_1, 'Infinity') },
  { name: 'alphaW -0.1', run: withOption('alphaW', -0.1), error: IPE, parameter: 'alphaW', message: tableMessage('alphaW', /a float in the range \[0, inf\)/, '-0\\.1') },
  { name: 'alphaH -1', run: withOption('alphaH', -1), error: IPE, parameter: 'alphaH', message: tableMessage('alphaH', /a float in the range \[0, inf\) or 'same'/, '-1') },
  { name: "alphaH 'other'", run: withOption('alphaH', 'other'), error: IPE, parameter: 'alphaH', message: tableMessage('alphaH', /'same'/, "'other'") },
  { name: 'l1Ratio 1.5', run: withOption('l1Ratio', 1.5), error: IPE, parameter: 'l1Ratio', message: tableMessage('l1Ratio', /a float in the range \[0, 1\]/, '1\\.5') },
  { name: 'l1Ratio -0.1', run: withOption('l1Ratio', -0.1), error: IPE, parameter: 'l1Ratio', message: tableMessage('l1Ratio', /a float in the range \[0, 1\]/, '-0\\.1') },
  { name: 'randomState -1', run: withOption('randomState', -1), error: IPE, parameter: 'randomState', message: tableMessage('randomState', /an int in the range \[0, 4294967295\]/, '-1') },
  { name: 'randomState 1.5', run: withOption('randomState', 1.5), error: IPE, parameter: 'randomState', message: tableMessage('randomState', /an int in the range \[0, 4294967295\]/, '1\\.5') },
  { name: 'randomState 2**32', run: withOption('randomState', 2 ** 32), error: IPE, parameter: 'randomState', message: tableMessage('randomState', /an int in the range \[0, 4294967295\]/, '4294967296') },
  { name: "shuffle 'yes'", run: withOption('shuffle', 'yes'), error: IPE, parameter: 'shuffle', message: tableMessage('shuffle', /a boolean/, "'yes'") },
  { name: 'shuffle 1', run: withOption('shuffle', 1), error: IPE, parameter: 'shuffle', message: tableMessage('shuffle', /a boolean/, '1') },
  { name: 'verbose -1', run: withOption('verbose', -1), error: IPE, parameter: 'verbose', message: tableMessage('verbose', /an int in the range \[0, inf\) or a boolean/, '-1') },
  { name: "backend 'cuda'", run: withOption('backend', 'cuda'), error: IPE, parameter: 'backend', message: tableMessage('backend', /a str among \{'auto', 'webgpu', 'gpujs', 'cpu'\}/, "'cuda'") },
  { name: "gpuProfile 'fast'", run: withOption('gpuProfile', 'fast'), error: IPE, parameter: 'gpuProfile', message: tableMessage('gpuProfile', /a str among \{'auto', 'hardware', 'software'\}/, "'fast'") },
  { name: 'checkEvery 0', run: withOption('checkEvery', 0), error: IPE, parameter: 'checkEvery', message: tableMessage('checkEvery', RANGE_INT_1, '0') },
  { name: 'onProgress not a function', run: withOption('onProgress', 'log'), error: IPE, parameter: 'onProgress', message: tableMessage('onProgress', /a function or null/, "'log'") },
  { name: 'onWarning not a function', run: withOption('onWarning', true), error: IPE, parameter: 'onWarning', message: tableMessage('onWarning', /a function or null/, 'true') },
  { name: 'signal a plain object', run: withOption('signal', {}), error: IPE, parameter: 'signal', message: tableMessage('signal', /an AbortSignal or null/, 'an Object') },
  { name: 'signal an AbortController (not its signal)', run: withOption('signal', new AbortController()), error: IPE, parameter: 'signal', message: tableMessage('signal', /an AbortSignal or null/, 'an AbortController') },
  { name: 'updateH 0', run: withOption('updateH', 0), error: IPE, parameter: 'updateH', message: tableMessage('updateH', /a boolean/, '0') },

  // options as a whole
  { name: 'unknown option max_iter (snake_case)', run: withOption('max_iter', 10), error: IPE, parameter: 'max_iter', message: /^Unknown option 'max_iter' for nonNegativeFactorization\. Valid options are: .*maxIter/ },
  { name: 'unknown option nComponent (typo)', run: withOption('nComponent', 2), error: IPE, parameter: 'nComponent', message: /^Unknown option 'nComponent'/ },
  { name: 'options not an object', run: () => nonNegativeFactorization(A, 'fast' as never), error: IPE, parameter: 'options', message: /options of nonNegativeFactorization must be an object\. Got 'fast'/ },

  // rules that tie options together, and rules on X that depend on them
  { name: "solver 'cd' with betaLoss 'kullback-leibler'", run: () => nnf(A, { solver: 'cd', betaLoss: 'kullback-leibler' }), error: IPE, parameter: 'betaLoss', message: /solver 'cd' does not handle betaLoss/ },
  { name: "solver 'cd' (default) with betaLoss 1.5", run: () => nnf(A, { betaLoss: 1.5 }), error: IPE, parameter: 'betaLoss', message: /solver 'cd' does not handle betaLoss/ },
  { name: 'itakura-saito with a zero in dense X', run: () => nnf(A_ZERO, { solver: 'mu', betaLoss: 'itakura-saito' }), error: IPE, parameter: 'X', message: /When betaLoss <= 0 and X contains zeros, the solver may diverge/ },
  { name: 'itakura-saito with an implicit zero in CSR X', run: () => nnf(A_ZERO_CSR, { solver: 'mu', betaLoss: 'itakura-saito' }), error: IPE, parameter: 'X', message: /When betaLoss <= 0 and X contains zeros/ },
  { name: 'itakura-saito with an explicit zero in CSR X', run: () => nnf({ rows: 1, cols: 2, indptr: [0, 2], indices: [0, 1], data: [0, 1] }, { solver: 'mu', betaLoss: 0 }), error: IPE, parameter: 'X', message: /When betaLoss <= 0 and X contains zeros/ },
  { name: 'betaLoss -0.5 with a zero in dense X', run: () => nnf(A_ZERO, { solver: 'mu', betaLoss: -0.5 }), error: IPE, parameter: 'X', message: /When betaLoss <= 0 and X contains zeros/ },
  { name: 'betaLoss -0.5 with an implicit zero in CSR X', run: () => nnf(A_ZERO_CSR, { solver: 'mu', betaLoss: -0.5 }), error: IPE, parameter: 'X', message: /When betaLoss <= 0 and X contains zeros/ },
  { name: "init 'nndsvd' with nComponents > min(nSamples, nFeatures)", run: () => nnf(A, { init: 'nndsvd', nComponents: 3 }), error: IPE, parameter: 'init', message: /init = 'nndsvd' can only be used when n(_c|C)omponents <= min\(n(_s|S)amples, n(_f|F)eatures\)/ },
  { name: "init 'nndsvda' with nComponents > min(nSamples, nFeatures)", run: () => nnf([[1, 2, 3]], { init: 'nndsvda', nComponents: 2 }), error: IPE, parameter: 'init', message: /init = 'nndsvda' can only be used when/ },

  // the estimator
  { name: 'NMF constructor with maxIter 0', run: () => new NMF({ maxIter: 0 }), error: IPE, parameter: 'maxIter', message: tableMessage('maxIter', RANGE_INT_1, '0', 'NMF') },
  { name: "NMF constructor with solver 'sgd'", run: () => new NMF({ solver: 'sgd' as never }), error: IPE, parameter: 'solver', message: tableMessage('solver', /'cd', 'mu', 'pg'/, "'sgd'", 'NMF') },
  { name: 'NMF constructor with W (a fitTransform argument)', run: () => new NMF({ W: A } as never), error: IPE, parameter: 'W', message: /^Unknown option 'W' for NMF/ },
  { name: 'NMF constructor with n_components (snake_case)', run: () => new NMF({ n_components: 2 } as never), error: IPE, parameter: 'n_components', message: /^Unknown option 'n_components' for NMF/ },
  { name: "NMF.fit with solver 'cd' and betaLoss 1", run: () => new NMF({ betaLoss: 1, backend: 'cpu' }).fit(A), error: IPE, parameter: 'betaLoss', message: /solver 'cd' does not handle betaLoss/ },
  { name: 'NMF.fit with negative X', run: () => new NMF({ backend: 'cpu' }).fit([[1, -1]]), error: IPE, parameter: 'X', message: /^Negative values in data passed to X/ },
  { name: 'NMF.transform before fit', run: () => new NMF().transform(A), error: NMFError, parameter: undefined, message: /not fitted yet/ },
  { name: 'NMF.inverseTransform before fit', run: () => new NMF().inverseTransform(A), error: NMFError, parameter: undefined, message: /not fitted yet/ },
  { name: 'NMF.transform with the wrong number of features', run: () => fitted().then((m) => m.transform([[1, 2, 3]])), error: IPE, parameter: 'X', message: /X has 3 features, but NMF is expecting 2 features as input/ },
  { name: 'NMF.transform with negative X', run: () => fitted().then((m) => m.transform([[1, -2]])), error: IPE, parameter: 'X', message: /^Negative values in data passed to X/ },
  { name: 'NMF.inverseTransform with the wrong number of columns', run: () => fitted().then((m) => m.inverseTransform([[1, 2, 3]])), error: IPE, parameter: 'W', message: /W has 3 columns, but this NMF has 2 components/ },
];

/** A small fitted estimator (2 features, 2 components). */
const fitted = () => new NMF({ nComponents: 2, backend: 'cpu', maxIter: 5, tol: 0 }).fit(A);

/** The error `run` threw or rejected with; fails the test when it did neither. */
async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, but the call succeeded');
}

describe('bad input is refused with an error naming the parameter and the rule', () => {
  it('covers at least 35 distinct bad inputs', () => {
    expect(new Set(badInputs.map((c) => c.name)).size).toBe(badInputs.length);
    expect(badInputs.length).toBeGreaterThanOrEqual(35);
  });

  it.each(badInputs.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const err = await caught(c.run);
    expect(err, `error class (got ${String(err)})`).toBeInstanceOf(c.error);
    expect((err as { parameter?: string }).parameter, 'the parameter named').toBe(c.parameter);
    expect((err as Error).message, 'the rule stated').toMatch(c.message);
  });
});

describe('messages of table-driven options read like scikit-learn\'s', () => {
  it('matches the exact shape for maxIter 0', async () => {
    const err = await caught(() => nnf(A, { maxIter: 0 }));
    expect((err as Error).message).toBe("The 'maxIter' parameter of nonNegativeFactorization must be an int in the range [1, inf). Got 0 instead.");
  });

  it('errors at construction, synchronously, for the estimator', () => {
    expect(() => new NMF({ tol: -1 })).toThrowError(
      new InvalidParameterError('tol', "The 'tol' parameter of NMF must be a float in the range [0, inf). Got -1 instead."),
    );
  });

  // A symbol satisfies no rule of any option, so every option of the table must refuse it.
  const BAD = Symbol('bad');

  it.each(FUNCTION_PARAMS)('nonNegativeFactorization refuses a bad %s with the table\'s message', async (name) => {
    const err = await caught(() => nnf(A, { [name]: BAD }));
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect((err as InvalidParameterError).parameter).toBe(name);
    const msg = (err as Error).message;
    expect(msg).toMatch(new RegExp(`^The '${name}' parameter of nonNegativeFactorization must be .+\\. Got Symbol\\(bad\\) instead\\.$`));
    for (const rule of PARAMS[name].rules) expect(msg, `names the rule "${rule.text}"`).toContain(rule.text);
  });

  it.each(ESTIMATOR_PARAMS)('NMF refuses a bad %s at construction with the table\'s message', (name) => {
    let err: unknown;
    try {
      new NMF({ [name]: BAD } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect((err as InvalidParameterError).parameter).toBe(name);
    expect((err as Error).message).toMatch(new RegExp(`^The '${name}' parameter of NMF must be .+\\. Got Symbol\\(bad\\) instead\\.$`));
  });

  it.each(MINIBATCH_PARAMS)('MiniBatchNMF refuses a bad %s at construction with the table\'s message', (name) => {
    expect(() => new MiniBatchNMF({ [name]: BAD } as never)).toThrow(new RegExp(`^The '${name}' parameter of MiniBatchNMF must be .+\\. Got Symbol\\(bad\\) instead\\.$`));
  });

  it.each(Object.keys(PARAMS) as ParamName[])('the default of %s satisfies its own rule', (name) => {
    const spec = PARAMS[name];
    expect(spec.rules.some((r) => r.test(spec.default))).toBe(true);
  });

  it('the estimator takes every option but the custom start, updateH and the mask (given with X)', () => {
    expect([...ESTIMATOR_PARAMS].sort()).toEqual(FUNCTION_PARAMS.filter((p) => !['W', 'H', 'updateH', 'mask'].includes(p)).sort());
  });

  it("MiniBatchNMF's options are scikit-learn's MiniBatchNMF parameters, plus where it runs and how it reports", () => {
    const sklearn = ['nComponents', 'init', 'batchSize', 'betaLoss', 'tol', 'maxNoImprovement', 'maxIter', 'alphaW', 'alphaH', 'l1Ratio',
      'forgetFactor', 'freshRestarts', 'freshRestartsMaxIter', 'transformMaxIter', 'randomState', 'verbose'];
    expect([...MINIBATCH_PARAMS].sort()).toEqual([...sklearn, 'backend', 'gpuProfile', 'device', 'signal', 'onProgress', 'onWarning'].sort());
    expect(() => new MiniBatchNMF({ solver: 'mu' } as never)).toThrow(/Unknown option 'solver' for MiniBatchNMF/);
    expect(() => new MiniBatchNMF({ batchSize: 0 })).toThrow("The 'batchSize' parameter of MiniBatchNMF must be an int in the range [1, inf). Got 0 instead.");
    expect(() => new MiniBatchNMF({ forgetFactor: 1.5 })).toThrow("The 'forgetFactor' parameter of MiniBatchNMF must be a float in the range [0, 1]. Got 1.5 instead.");
  });
});
