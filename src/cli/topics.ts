// `webnmf topics [FILES...]`: topic extraction as scikit-learn's example "Topic extraction with
// Non-negative Matrix Factorization" does it: TF-IDF (max_df 0.95, min_df 2, 1000 features,
// English stop words), then NMF (k 10, init nndsvda, alpha_W = alpha_H = 0.00005, l1_ratio 1,
// random_state 1), then the heaviest words of each component.

import { parseArgs } from 'node:util';
import type { CsrMatrix } from '../matrix/matrix.js';
import { NMF } from '../nmf.js';
import type { FactorizationOptions } from '../params.js';
import { splitParagraphs } from '../text/documents.js';
import { topWords } from '../text/top-words.js';
import { TfidfVectorizer } from '../text/vectorizer.js';
import { CliError } from './errors.js';
import { checkSavePath, saveModel, TOPIC_MODEL_FORMAT, TOPIC_MODEL_VERSION } from './model-file.js';
import { intFlag, nmfFlagConfig, nmfFlagHelp, nmfOptions, numberFlag } from './options.js';
import { readInput } from './read-matrix.js';
import { chooseBackend, fitHooks } from './run-fit.js';
import { sotuCorpus, type Corpus } from './sotu.js';

/** scikit-learn's topic-extraction example, where it differs from NMF's defaults. */
const EXAMPLE_NMF = { nComponents: 10, init: 'nndsvda', alphaW: 0.00005, alphaH: 0.00005, l1Ratio: 1, randomState: 1 } as const;
const EXAMPLE_TFIDF = { maxDf: 0.95, minDf: 2, maxFeatures: 1000 };
const TOP_WORDS = 10;
const PASSAGE_WORDS = 200;

export const TOPICS_HELP = [
  'Usage: webnmf topics [FILES...] [options]',
  '',
  'Topics of text documents: TF-IDF, NMF, and the top words of each component, as scikit-learn\'s',
  'topic-extraction example does. Documents are:',
  '  no FILES     the State of the Union addresses 1790–2021 (embedded, no download), each cut into',
  `               passages of whole sentences of at least --passage-words words (default ${PASSAGE_WORDS})`,
  '  one FILE     its paragraphs (text between blank lines)',
  '  many FILES   one document per file',
  '',
  'Text options:',
  `${'  --documents paragraphs|files'.padEnd(30)} how FILES become documents (default: see above)`,
  `${'  --passage-words N'.padEnd(30)} least words per State of the Union passage (default ${PASSAGE_WORDS})`,
  `${'  --top-words N'.padEnd(30)} words printed per topic (default ${TOP_WORDS})`,
  `${'  --save FILE'.padEnd(30)} save the vectorizer and the model as JSON, for webnmf transform`,
  `${'  --max-features N'.padEnd(30)} vocabulary size: the most frequent terms (default ${EXAMPLE_TFIDF.maxFeatures})`,
  `${'  --max-df X'.padEnd(30)} drop terms in more documents: proportion in [0, 1] or count > 1 (default ${EXAMPLE_TFIDF.maxDf})`,
  `${'  --min-df X'.padEnd(30)} drop terms in fewer documents: count >= 1 or proportion in [0, 1) (default ${EXAMPLE_TFIDF.minDf})`,
  `${'  --no-stop-words'.padEnd(30)} keep English stop words (default: drop them)`,
  `${'  --sublinear-tf'.padEnd(30)} tf = 1 + ln(count)`,
  '',
  "NMF options (defaults of scikit-learn's example; --beta-loss other than frobenius implies --solver mu):",
  ...nmfFlagHelp({ 'n-components': '10', init: 'nndsvda', solver: 'cd', 'beta-loss': 'frobenius', tol: '1e-4', 'max-iter': '200', 'alpha-w': '0.00005', 'alpha-h': '0.00005', 'l1-ratio': '1', 'random-state': '1', backend: 'auto' }),
  `${'  -h, --help'.padEnd(30)} this help`,
].join('\n');

/** A file with NUL bytes is not text (an executable, an image, a .npy): say so, rather than fit its bytes. */
function text(file: string): string {
  const bytes = readInput(file);
  if (bytes.subarray(0, 65536).includes(0)) throw new CliError(`${file}: is not a text file (it holds NUL bytes): topics reads plain text, one document per paragraph or per file.`);
  return bytes.toString('utf8');
}

export function fileCorpus(files: string[], mode: string | undefined): Corpus {
  if (mode !== undefined && mode !== 'paragraphs' && mode !== 'files') {
    throw new CliError(`--documents must be 'paragraphs' or 'files'. Got '${mode}' instead.`, 2);
  }
  const byParagraph = (mode ?? (files.length === 1 ? 'paragraphs' : 'files')) === 'paragraphs';
  const texts = files.map(text);
  const documents = byParagraph ? texts.flatMap(splitParagraphs) : texts;
  const what = byParagraph ? `${documents.length} paragraphs` : `${documents.length} documents (one per file)`;
  return { documents, description: `${what} from ${files.length === 1 ? files[0] : `${files.length} files`}` };
}

function density(X: CsrMatrix): string {
  return `${((100 * X.indptr[X.rows]) / (X.rows * X.cols)).toFixed(2)}% nonzero`;
}

export async function topicsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    allowNegative: true,
    strict: true,
    options: {
      ...nmfFlagConfig(),
      'top-words': { type: 'string' },
      'max-features': { type: 'string' },
      'max-df': { type: 'string' },
      'min-df': { type: 'string' },
      'stop-words': { type: 'boolean', default: true },
      'sublinear-tf': { type: 'boolean' },
      documents: { type: 'string' },
      'passage-words': { type: 'string' },
      save: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${TOPICS_HELP}\n`);
    return;
  }
  const given = nmfOptions(values);
  const options: Partial<FactorizationOptions> = { ...EXAMPLE_NMF, ...given };
  if (given.betaLoss !== undefined && given.betaLoss !== 'frobenius' && given.betaLoss !== 2 && given.solver === undefined) options.solver = 'mu';
  const nTop = intFlag(values, 'top-words', TOP_WORDS);
  const maxFeatures = intFlag(values, 'max-features', EXAMPLE_TFIDF.maxFeatures);
  const vectorizer = new TfidfVectorizer({
    maxDf: numberFlag(values, 'max-df', EXAMPLE_TFIDF.maxDf),
    minDf: numberFlag(values, 'min-df', EXAMPLE_TFIDF.minDf),
    maxFeatures,
    stopWords: values['stop-words'] === false ? null : 'english',
    sublinearTf: values['sublinear-tf'] === true,
  });
  new NMF(options); // refuse bad options before reading anything
  const passageWords = intFlag(values, 'passage-words', PASSAGE_WORDS);
  checkSavePath(values.save);

  // 'auto' asks a child process for a WebGPU adapter (~0.3 s): it runs while the text is vectorized.
  const chosen = chooseBackend(options.backend, options.gpuProfile);
  chosen.catch(() => {}); // an error is reported where it is awaited
  const t0 = performance.now();
  const corpus = positionals.length > 0 ? fileCorpus(positionals, values.documents) : await sotuCorpus(passageWords);
  process.stdout.write(`${corpus.description}\n`);
  const minDf = numberFlag(values, 'min-df', EXAMPLE_TFIDF.minDf);
  const nDocs = corpus.documents.length;
  if ((minDf >= 1 ? minDf : minDf * nDocs) > nDocs) {
    // the vectorizer would blame --max-df (scikit-learn's words); the corpus is what is short
    throw new CliError(`${corpus.description}: ${nDocs} document${nDocs === 1 ? '' : 's'}, but --min-df ${minDf} keeps only terms found in at least ${minDf} documents: give more text (blank lines separate paragraphs; or several files), or lower --min-df.`);
  }
  const X = vectorizer.fitTransform(corpus.documents);
  const t1 = performance.now();
  process.stdout.write(`TF-IDF: ${X.rows} documents × ${X.cols} terms, ${density(X)} (${((t1 - t0) / 1000).toFixed(2)} s)\n`);
  const k = typeof options.nComponents === 'number' ? options.nComponents : X.cols;
  const init = options.init === undefined ? EXAMPLE_NMF.init : options.init;
  if (typeof init === 'string' && init.startsWith('nndsvd') && k > Math.min(X.rows, X.cols)) {
    // NMF would blame --init; the vocabulary (or the corpus) is what is too small for k topics
    const short = X.cols < X.rows ? `the vocabulary has ${X.cols} term${X.cols === 1 ? '' : 's'}${X.cols === maxFeatures ? ` (--max-features ${maxFeatures})` : ''}` : `there are ${X.rows} documents`;
    throw new CliError(`--n-components ${k}: ${short}, fewer than the ${k} topics asked for (init '${init}' needs at most min(documents, terms) = ${Math.min(X.rows, X.cols)}): lower --n-components${X.cols < X.rows ? ' or raise --max-features' : ' or give more text'}.`, 2);
  }

  const { backend, description, line } = await chosen;
  const hooks = fitHooks(typeof options.maxIter === 'number' ? options.maxIter : 200, line);
  let succeeded = false;
  const model = new NMF({ ...options, backend, onProgress: hooks.onProgress, onWarning: hooks.onWarning, signal: hooks.signal });
  try {
    await model.fitTransform(X);
    succeeded = true;
  } finally {
    hooks.finish(succeeded);
  }
  const t2 = performance.now();
  const loss = typeof options.betaLoss === 'number' ? `beta ${options.betaLoss}` : (options.betaLoss ?? 'frobenius');
  process.stdout.write(
    `NMF (${loss}, solver '${options.solver ?? 'cd'}'): ${model.nComponentsOut} topics, ${model.nIter} iterations in ${((t2 - t1) / 1000).toFixed(2)} s on ${description}\n\n`,
  );
  // Words of zero weight are not part of a topic (the L1 penalty zeroes most of H); leave them out.
  topWords(model.components!, vectorizer.featureNames!, nTop).forEach((topic, k) => {
    const words = topic.words.filter((_, r) => topic.weights[r] > 0);
    process.stdout.write(`Topic #${`${k + 1}:`.padEnd(3)} ${words.length > 0 ? words.join(' ') : '(empty: every weight is zero)'}\n`);
  });
  if (values.save) {
    saveModel(values.save, { format: TOPIC_MODEL_FORMAT, version: TOPIC_MODEL_VERSION, vectorizer: vectorizer.toJSON(), model: model.toJSON() }, options.backend);
  }
}
