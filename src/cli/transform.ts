// `webnmf transform MODEL FILE...`: W for new data under a saved model. A model of `fit --save`
// takes a matrix file; a topic model of `topics --save` takes text and prints each document's
// heaviest topics.

import { parseArgs } from 'node:util';
import { InvalidParameterError } from '../errors.js';
import type { DenseMatrix } from '../matrix/matrix.js';
import { MiniBatchNMF } from '../minibatch.js';
import { NMF } from '../nmf.js';
import { topWords } from '../text/top-words.js';
import { TfidfVectorizer } from '../text/vectorizer.js';
import { CliError, inFile } from './errors.js';
import { makeOutDir, writeFactors } from './fit.js';
import { readModelFile, TOPIC_MODEL_FORMAT, type SavedTopicModel } from './model-file.js';
import { intFlag } from './options.js';
import { FORMATS, readMatrix } from './read-matrix.js';
import { chooseBackend, fitHooks } from './run-fit.js';
import { fileCorpus } from './topics.js';

const TOP_TOPICS = 3;
const WORDS_PER_TOPIC = 6;

export const TRANSFORM_HELP = [
  'Usage: webnmf transform MODEL.json FILE... [options]',
  '',
  'W for new data, with the components of a saved model held fixed (the model\'s transform):',
  `  a model of webnmf fit --save     one matrix FILE (${FORMATS}) with the model's features as columns`,
  '  a model of webnmf topics --save  text FILEs (one file: its paragraphs; several: one document each);',
  '                                   prints the heaviest topics of every document',
  '',
  'Options:',
  `${'  --out DIR'.padEnd(30)} write W.npy and W.csv into DIR (float64; float32 from WebGPU)`,
  `${'  --backend auto|webgpu|gpujs|cpu'.padEnd(30)} where to compute (default: the one the model was fitted with asked for)`,
  `${'  --top-topics N'.padEnd(30)} topics printed per document (topic models; default ${TOP_TOPICS})`,
  `${'  --documents paragraphs|files'.padEnd(30)} how text FILEs become documents (topic models)`,
  `${'  -h, --help'.padEnd(30)} this help`,
].join('\n');

export async function transformCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      backend: { type: 'string' },
      'top-topics': { type: 'string' },
      documents: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${TRANSFORM_HELP}\n`);
    return;
  }
  if (positionals.length < 2) throw new CliError('transform takes a model file and the data to transform. See webnmf transform --help.', 2);
  const [modelPath, ...inputs] = positionals;
  const saved = readModelFile(modelPath);
  makeOutDir(values.out);
  const topTopics = intFlag(values, 'top-topics', TOP_TOPICS);
  const requested = values.backend ?? ('model' in saved ? saved.model : saved).params?.backend;
  const { backend, line } = await chooseBackend(requested);
  const load = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      // a damaged file: its field, not a command-line flag
      if (e instanceof InvalidParameterError && e.parameter !== 'backend') throw new CliError(`${modelPath}: ${e.message}`);
      throw e;
    }
  };
  const maxIter = Number(('model' in saved ? saved.model : saved).params?.maxIter) || 200;
  const hooks = fitHooks(maxIter, line);
  const runtime = { backend, onProgress: hooks.onProgress, onWarning: hooks.onWarning, signal: hooks.signal };

  if (saved.format === TOPIC_MODEL_FORMAT) return transformText(saved, inputs, values, topTopics, load, runtime, hooks);
  if (inputs.length !== 1) throw new CliError(`transform takes one matrix file for this model (${FORMATS}); got ${inputs.length}.`, 2);
  const model = load(() => (saved.format === 'webnmf.NMF' ? NMF.fromJSON(saved, runtime) : MiniBatchNMF.fromJSON(saved, runtime)));
  if (!model.components) throw new CliError(`${modelPath}: the saved model was never fitted.`);
  const { X, description } = readMatrix(inputs[0]);
  process.stdout.write(`X: ${X.rows} × ${X.cols}, ${description} (${inputs[0]})\n`);
  const W = await run(() => model.transform(X), hooks, inputs[0]);
  process.stdout.write(`W: ${W.rows} × ${W.cols}, under the ${model.nComponentsOut} components of ${modelPath}\n`);
  writeFactors(values.out, [['W', W]]);
}

async function run(fn: () => Promise<DenseMatrix>, hooks: ReturnType<typeof fitHooks>, file: string): Promise<DenseMatrix> {
  let succeeded = false;
  try {
    const W = await fn();
    succeeded = true;
    return W;
  } catch (e) {
    throw inFile(e, { X: file });
  } finally {
    hooks.finish(succeeded);
  }
}

async function transformText(
  saved: SavedTopicModel, files: string[], values: { out?: string; documents?: string }, topTopics: number,
  load: <T>(fn: () => T) => T, runtime: object, hooks: ReturnType<typeof fitHooks>,
): Promise<void> {
  const vectorizer = load(() => TfidfVectorizer.fromJSON(saved.vectorizer));
  const model = load(() => NMF.fromJSON(saved.model, runtime));
  if (!vectorizer.featureNames || !model.components) throw new CliError('the saved topic model was never fitted.');
  const corpus = fileCorpus(files, values.documents);
  process.stdout.write(`${corpus.description}\n`);
  const W = await run(() => model.transform(vectorizer.transform(corpus.documents)), hooks, files[0]);
  const topics = topWords(model.components, vectorizer.featureNames, WORDS_PER_TOPIC).map((t) => t.words.filter((_, r) => t.weights[r] > 0).join(' '));
  const width = String(W.rows).length;
  topWords(W, topics.map((_, t) => String(t)), topTopics).forEach((best, d) => {
    const heaviest = best.words.filter((_, r) => best.weights[r] > 0).map((t, r) => `#${Number(t) + 1} ${best.weights[r].toFixed(3)} (${topics[Number(t)] || 'empty'})`);
    process.stdout.write(`document ${String(d + 1).padStart(width)}: ${heaviest.length > 0 ? heaviest.join(', ') : 'no known words'}\n`);
  });
  writeFactors(values.out, [['W', W]]);
}
