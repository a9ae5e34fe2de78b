// Bad input, one case each: every case asserts the error class, the parameter it names and the rule
// its message states (scikit-learn's test_parameter_checking and test_non_negative_factorization_checking,
// plus the common tests' declarative checks). The table-driven options are also walked from PARAMS, so
// a new option is covered by the message-shape checks at the bottom without editing this file.

import { describe, expect, it } from 'vitest';
import { InvalidParameterError, MiniBatchNMF, NMF, NMFError, nonNegativeFactorization, rowBlocks, type FactorizationOptions } from '../src/index.js';
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
  /** what the message names, when not the parameter itself: a file's errors name the file that X is read from */
  names?: string;
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
/** MiniBatchNMF on the CPU, short; options deliberately untyped. */
const mb = (options: Record<string, unknown> = {}) => new MiniBatchNMF({ backend: 'cpu', maxIter: 2, onWarning: () => {}, ...options } as never);
/** A MiniBatchNMF option's rule is broken by `value`. */
const withMiniBatchOption = (name: string, value: unknown) => () => mb({ [name]: value });
const mbMessage = (name: string, rule: RegExp, got: string) => tableMessage(name, rule, got, 'MiniBatchNMF');
/** A Blob of text, for rowBlocks. */
const blob = (text: string) => new Blob([text]);
/** Read every block of a row source (errors surface while reading). */
const drain = async (blocks: AsyncIterable<unknown>) => {
  for await (const _ of blocks) void _;
};
/** Something with the shape of a GPUDevice but none of its methods. */
const NOT_A_DEVICE = { label: 'fake' };

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

  // X: values and shapes the first tables miss
  { name: 'X has a BigInt entry (nested)', run: () => nnf([[1, 2n], [3, 4]]), error: IPE, parameter: 'X', message: /contains a non-number \(bigint\) at flat index 1/ },
  { name: 'X dense data a BigInt64Array', run: () => nnf({ rows: 1, cols: 2, data: new BigInt64Array(2) }), error: IPE, parameter: 'X', message: /contains a non-number \(bigint\)/ },
  { name: 'X has a boolean entry', run: () => nnf([[1, true], [3, 4]]), error: IPE, parameter: 'X', message: /contains a non-number \(boolean\)/ },
  { name: 'X nested three deep', run: () => nnf([[[1]], [[2]]]), error: IPE, parameter: 'X', message: /contains a non-number \(object\)/ },
  { name: 'X a row that is a string', run: () => nnf([[1, 2], '34']), error: IPE, parameter: 'X', message: /ragged/ },
  { name: 'X a Map', run: () => nnf(new Map([[0, [1, 2]]])), error: IPE, parameter: 'X', message: /X must be a matrix/ },
  { name: 'X {rows, cols} without data', run: () => nnf({ rows: 2, cols: 2 }), error: IPE, parameter: 'X', message: /X must be a matrix/ },
  { name: 'X dense data a string', run: () => nnf({ rows: 1, cols: 2, data: '12' }), error: IPE, parameter: 'X', message: /X\.data must hold rows·cols = 2 values\. Got none/ },
  { name: 'X dense cols NaN', run: () => nnf({ rows: 1, cols: NaN, data: [] }), error: IPE, parameter: 'X', message: /X\.cols must be a non-negative integer\. Got NaN/ },
  { name: 'X dense rows negative', run: () => nnf({ rows: -1, cols: 2, data: [] }), error: IPE, parameter: 'X', message: /X\.rows must be a non-negative integer\. Got -1/ },
  { name: 'X dense rows beyond 32-bit indices', run: () => nnf({ rows: 3e9, cols: 1, data: [] }), error: IPE, parameter: 'X', message: /X\.rows is 3000000000: at most 2147483647/ },
  { name: 'X CSR cols 3e9 (beyond 32-bit indices)', run: () => nnf({ rows: 2, cols: 3e9, indptr: [0, 1, 2], indices: [0, 5], data: [1, 2] }, { nComponents: 2 }), error: IPE, parameter: 'X', message: /X\.cols is 3000000000: at most 2147483647/ },
  { name: 'X CSR index not an integer', run: () => nnf(csr({ indices: [0, 1.5, 1] })), error: IPE, parameter: 'X', message: /indices\[1\] = 1\.5 is out of range/ },
  { name: 'X CSR indptr not starting at 0', run: () => nnf(csr({ indptr: [1, 2, 3] })), error: IPE, parameter: 'X', message: /indptr must start at 0/ },
  { name: 'X CSR indptr not integers', run: () => nnf(csr({ indptr: [0, 1.5, 3] })), error: IPE, parameter: 'X', message: /indptr must be non-decreasing integers/ },
  { name: 'X CSR data a BigInt64Array', run: () => nnf(csr({ data: new BigInt64Array(3) })), error: IPE, parameter: 'X', message: /contains a non-number \(bigint\)/ },

  // memory an input asks for, refused before it is allocated
  { name: 'nComponents 1e9 on a 1 × 2 X (W and H 24 GB)', run: () => nnf([[1, 2]], { nComponents: 1e9 }), error: IPE, parameter: 'nComponents', message: /nComponents = 1000000000: a fit of X \(1 × 2, dense\) with W 1 × 1000000000 and H 1000000000 × 2 needs about .* GB/ },
  { name: 'nComponents null on a 1 × 200000 X (H 200000 × 200000)', run: () => nnf({ rows: 1, cols: 200000, data: new Float64Array(200000).fill(1) }), error: IPE, parameter: 'nComponents', message: /nComponents: null means k = 200000 \(n_features\): H \(200000 × 200000\) would hold 40000000000 values/ },
  { name: 'NMF.fit with nComponents 3e9 on a 1 × 2 X', run: () => new NMF({ nComponents: 3e9, backend: 'cpu' }).fit([[1, 2]]), error: IPE, parameter: 'nComponents', message: /H \(3000000000 × 2\) would hold 6000000000 values/ },
  { name: 'MiniBatchNMF.fit with nComponents 1e9', run: () => mb({ nComponents: 1e9 }).fit([[1, 2]]), error: IPE, parameter: 'nComponents', message: /nComponents = 1000000000: .* needs about/ },
  { name: 'MiniBatchNMF.partialFit with nComponents 1e9', run: () => mb({ nComponents: 1e9 }).partialFit([[1, 2]]), error: IPE, parameter: 'nComponents', message: /nComponents = 1000000000/ },
  { name: 'MiniBatchNMF.fit streamed with nComponents 1e9', run: () => mb({ nComponents: 1e9 }).fit(() => [[[1, 2]]]), error: IPE, parameter: 'nComponents', message: /nComponents = 1000000000/ },

  // options as a whole, and more bad values of the table's options
  { name: 'options a Map (its entries would be ignored)', run: () => nonNegativeFactorization(A, new Map([['maxIter', 5]]) as never), error: IPE, parameter: 'options', message: /options of nonNegativeFactorization must be an object\. Got a Map/ },
  { name: 'options an array', run: () => nonNegativeFactorization(A, [5] as never), error: IPE, parameter: 'options', message: /must be an object\. Got an array/ },
  { name: 'options null', run: () => nonNegativeFactorization(A, null as never), error: IPE, parameter: 'options', message: /must be an object\. Got null/ },
  { name: 'NMF options a Map', run: () => new NMF(new Map() as never), error: IPE, parameter: 'options', message: /options of NMF must be an object/ },
  { name: 'MiniBatchNMF options a Map', run: () => new MiniBatchNMF(new Map() as never), error: IPE, parameter: 'options', message: /options of MiniBatchNMF must be an object/ },
  { name: 'device {} with backend webgpu', run: () => nnf(A, { backend: 'webgpu', device: {} }), error: IPE, parameter: 'device', message: tableMessage('device', /a GPUDevice or null/, 'an Object') },
  { name: "device {} with backend 'auto' (no silent CPU fallback)", run: () => nnf(A, { backend: 'auto', device: NOT_A_DEVICE }), error: IPE, parameter: 'device', message: tableMessage('device', /a GPUDevice or null/, 'an Object') },
  { name: 'device a string', run: withOption('device', 'gpu0'), error: IPE, parameter: 'device', message: tableMessage('device', /a GPUDevice or null/, "'gpu0'") },
  { name: 'signal a string', run: withOption('signal', 'stop'), error: IPE, parameter: 'signal', message: tableMessage('signal', /an AbortSignal or null/, "'stop'") },
  { name: 'checkEvery 1.5', run: withOption('checkEvery', 1.5), error: IPE, parameter: 'checkEvery', message: tableMessage('checkEvery', RANGE_INT_1, '1\.5') },
  { name: 'nlsMaxIter Infinity', run: withOption('nlsMaxIter', Infinity), error: IPE, parameter: 'nlsMaxIter', message: tableMessage('nlsMaxIter', RANGE_INT_1, 'Infinity') },
  { name: 'verbose 1.5', run: withOption('verbose', 1.5), error: IPE, parameter: 'verbose', message: tableMessage('verbose', /an int in the range \[0, inf\) or a boolean/, '1\.5') },
  { name: 'randomState NaN', run: withOption('randomState', NaN), error: IPE, parameter: 'randomState', message: tableMessage('randomState', /an int in the range \[0, 4294967295\]/, 'NaN') },
  { name: 'alphaW Infinity', run: withOption('alphaW', Infinity), error: IPE, parameter: 'alphaW', message: tableMessage('alphaW', /a float in the range \[0, inf\)/, 'Infinity') },
  { name: 'l1Ratio NaN', run: withOption('l1Ratio', NaN), error: IPE, parameter: 'l1Ratio', message: tableMessage('l1Ratio', /a float in the range \[0, 1\]/, 'NaN') },
  { name: "maxIter '10' (a string)", run: withOption('maxIter', '10'), error: IPE, parameter: 'maxIter', message: tableMessage('maxIter', RANGE_INT_1, "'10'") },
  { name: "betaLoss 'KL' (an abbreviation)", run: withOption('betaLoss', 'KL'), error: IPE, parameter: 'betaLoss', message: tableMessage('betaLoss', /'kullback-leibler'/, "'KL'") },
  { name: 'betaLoss null', run: withOption('betaLoss', null), error: IPE, parameter: 'betaLoss', message: tableMessage('betaLoss', /a finite float/, 'null') },
  { name: 'beta NaN', run: withOption('beta', NaN), error: IPE, parameter: 'beta', message: tableMessage('beta', /a float in the range \[0, inf\)/, 'NaN') },

  // MiniBatchNMF's own options
  { name: 'MiniBatchNMF batchSize 1.5', run: withMiniBatchOption('batchSize', 1.5), error: IPE, parameter: 'batchSize', message: mbMessage('batchSize', RANGE_INT_1, '1\.5') },
  { name: 'MiniBatchNMF forgetFactor -0.1', run: withMiniBatchOption('forgetFactor', -0.1), error: IPE, parameter: 'forgetFactor', message: mbMessage('forgetFactor', /a float in the range \[0, 1\]/, '-0\.1') },
  { name: "MiniBatchNMF freshRestarts 'yes'", run: withMiniBatchOption('freshRestarts', 'yes'), error: IPE, parameter: 'freshRestarts', message: mbMessage('freshRestarts', /a boolean/, "'yes'") },
  { name: 'MiniBatchNMF freshRestartsMaxIter 0', run: withMiniBatchOption('freshRestartsMaxIter', 0), error: IPE, parameter: 'freshRestartsMaxIter', message: mbMessage('freshRestartsMaxIter', RANGE_INT_1, '0') },
  { name: 'MiniBatchNMF transformMaxIter 0', run: withMiniBatchOption('transformMaxIter', 0), error: IPE, parameter: 'transformMaxIter', message: mbMessage('transformMaxIter', RANGE_INT_1, '0') },
  { name: 'MiniBatchNMF maxNoImprovement 0', run: withMiniBatchOption('maxNoImprovement', 0), error: IPE, parameter: 'maxNoImprovement', message: mbMessage('maxNoImprovement', RANGE_INT_1, '0') },
  { name: 'MiniBatchNMF shuffle (an NMF option)', run: withMiniBatchOption('shuffle', true), error: IPE, parameter: 'shuffle', message: /^Unknown option 'shuffle' for MiniBatchNMF/ },

  // what is given beside X: null means nothing, an unknown field is refused (it would be ignored)
  { name: 'NMF.fitTransform start a number', run: () => new NMF({ backend: 'cpu' }).fitTransform(A, 5 as never), error: IPE, parameter: 'start', message: /The start given to NMF\.fitTransform beside X must be an object with 'W', 'H' or 'mask', or null\. Got 5/ },
  { name: 'NMF.fit start { w, h } (lower case)', run: () => new NMF({ backend: 'cpu', init: 'custom' }).fit(A, { w: A, h: A } as never), error: IPE, parameter: 'w', message: /Unknown field 'w' in the start given to NMF\.fitTransform beside X \(field names are case-sensitive: 'W'\)/ },
  { name: 'NMF.fit start { updateH: false } (an option)', run: () => new NMF({ backend: 'cpu' }).fit(A, { updateH: false } as never), error: IPE, parameter: 'updateH', message: /Unknown field 'updateH' .*'updateH' is an option/ },
  { name: 'NMF.transform with { W } beside X', run: () => fitted().then((m) => m.transform(A, { W: A } as never)), error: IPE, parameter: 'W', message: /Unknown field 'W' in the start given to NMF\.transform beside X\. Valid fields are: mask\./ },
  { name: 'MiniBatchNMF.fit start { mask } (not weighted)', run: () => mb().fit(A, { mask: A } as never), error: IPE, parameter: 'mask', message: /Unknown field 'mask' in the start given to MiniBatchNMF\.fit beside X\. Valid fields are: W, H\./ },
  { name: 'MiniBatchNMF.partialFit start a string', run: () => mb().partialFit(A, 'W' as never), error: IPE, parameter: 'start', message: /The start given to MiniBatchNMF\.partialFit beside X must be an object/ },

  // row sources
  { name: 'MiniBatchNMF.fit(() => 5)', run: () => mb().fit(() => 5 as never), error: IPE, parameter: 'X', message: /A function given as X must return row blocks .*; it returned number 5/ },
  { name: 'MiniBatchNMF.fit of an async function (a Promise of blocks)', run: () => mb().fit((async () => [A]) as never), error: IPE, parameter: 'X', message: /it returned a Promise/ },
  { name: 'MiniBatchNMF.fit of a source whose block has a NaN', run: () => mb().fit(() => [A, [[1, NaN]]]), error: IPE, parameter: 'X', message: /Input X contains NaN \(in the row block at row 2\)/ },
  { name: 'MiniBatchNMF.fit of a source with no rows', run: () => mb().fit(() => []), error: IPE, parameter: 'X', message: /The row source X gave no rows/ },
  { name: 'MiniBatchNMF.transformBlocks(5)', run: () => mb().fit(A).then((m) => drain(m.transformBlocks(5 as never))), error: IPE, parameter: 'X', message: /X must be row blocks .*got number 5/ },
  { name: "rowBlocks('text')", run: () => rowBlocks('1,2\n3,4' as never), error: IPE, parameter: 'file', message: /rowBlocks reads a Blob or File .*the file given is a string/ },
  { name: 'rowBlocks rowsPerBlock 0', run: () => rowBlocks(blob('1,2\n'), { rowsPerBlock: 0 }), error: IPE, parameter: 'rowsPerBlock', message: /rowsPerBlock must be an int in the range \[1, inf\)\. Got 0/ },
  { name: "rowBlocks format 'xls'", run: () => rowBlocks(blob('1,2\n'), { format: 'xls' as never }), error: IPE, parameter: 'format', message: /rowBlocks' format must be 'npy', 'mtx' or 'csv'\. Got xls/ },
  { name: 'rowBlocks: CSV first row with an empty field', run: () => drain(rowBlocks(blob('1,,2\n3,4,5\n'), { name: 'x.csv' })), error: IPE, parameter: 'X', message: /x\.csv: line 1, column 2: an empty field/, names: 'x.csv' },
  { name: "rowBlocks format 'npy' on CSV text", run: () => drain(rowBlocks(blob('1,2\n3,4\n'), { format: 'npy', name: 'x.npy' })), error: IPE, parameter: 'X', message: /x\.npy: not a readable \.npy file/, names: 'x.npy' },
  { name: 'rowBlocks: mtx declaring 1e11 × 1e11', run: () => drain(rowBlocks(blob('%%MatrixMarket matrix coordinate real general\n100000000000 100000000000 1\n1 1 1\n'), { name: 'x.mtx' })), error: IPE, parameter: 'X', message: /x\.mtx: line 2: the size line declares 100000000000 × 100000000000; at most 2147483647/, names: 'x.mtx' },

  // MiniBatchNMF after a fit, and the mask
  { name: 'MiniBatchNMF.transform before fit', run: () => mb().transform(A), error: NMFError, parameter: undefined, message: /This MiniBatchNMF instance is not fitted yet/ },
  { name: 'MiniBatchNMF.partialFit with the wrong number of features', run: () => mb().fit(A).then((m) => m.partialFit([[1, 2, 3]])), error: IPE, parameter: 'X', message: /X has 3 features, but MiniBatchNMF is expecting 2/ },
  { name: 'MiniBatchNMF.inverseTransform with the wrong number of columns', run: () => mb({ nComponents: 2 }).fit(A).then((m) => m.inverseTransform([[1, 2, 3]])), error: IPE, parameter: 'W', message: /W has 3 columns, but this MiniBatchNMF has 2 components/ },
  { name: 'NMF.inverseTransform with a NaN in W', run: () => fitted().then((m) => m.inverseTransform([[1, NaN]])), error: IPE, parameter: 'W', message: /W contains NaN/ },
  { name: 'mask of another shape', run: () => nnf(A, { solver: 'mu', mask: [[1, 1]] }), error: IPE, parameter: 'mask', message: /mask must have the shape of X \(2, 2\)\. Got \(1, 2\)/ },
  { name: 'mask with solver cd', run: () => nnf(A, { mask: [[1, 1], [1, 0]] }), error: IPE, parameter: 'mask', message: /mask \(weighted NMF\) needs solver 'mu'/ },
  { name: 'mask on backend gpujs', run: () => nnf(A, { solver: 'mu', backend: 'gpujs', mask: [[1, 1], [1, 0]] }), error: NMFError, parameter: undefined, message: /^mask needs weighted NMF, which backend 'gpujs' \(gpujs \(webasm[^)]*\)\) does not support\. Use backend 'auto' \(it picks a backend that can\), backend 'cpu' or no mask\.$/ },
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
  it('covers at least 150 distinct bad inputs', () => {
    expect(new Set(badInputs.map((c) => c.name)).size).toBe(badInputs.length);
    expect(badInputs.length).toBeGreaterThanOrEqual(150);
  });

  it.each(badInputs.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const err = await caught(c.run);
    expect(err, `error class (got ${String(err)})`).toBeInstanceOf(c.error);
    expect((err as { parameter?: string }).parameter, 'the parameter named').toBe(c.parameter);
    expect((err as Error).message, 'the rule stated').toMatch(c.message);
    if (c.parameter !== undefined) expect((err as Error).message, 'the message names the parameter').toContain(c.names ?? c.parameter);
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
