// The CLI's model files (--save, and what `webnmf transform` reads): one JSON object each.
//   webnmf fit --save      NMF#toJSON() or MiniBatchNMF#toJSON() ('webnmf.NMF', 'webnmf.MiniBatchNMF')
//   webnmf topics --save   { format: 'webnmf.TopicModel', version: 1, vectorizer, model }: the
//                          TfidfVectorizer and the NMF, so new text can be turned into topics
// params.backend records the backend asked for (default 'auto'), not the one 'auto' chose.

import { dirname } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import type { SavedMiniBatchNMF } from '../minibatch.js';
import type { SavedNMF } from '../nmf.js';
import type { SavedTfidfVectorizer } from '../text/vectorizer.js';
import { CliError } from './errors.js';
import { readInput } from './read-matrix.js';

export const TOPIC_MODEL_FORMAT = 'webnmf.TopicModel';
export const TOPIC_MODEL_VERSION = 1;

export interface SavedTopicModel {
  format: typeof TOPIC_MODEL_FORMAT;
  version: number;
  vectorizer: SavedTfidfVectorizer;
  model: SavedNMF;
}

export type ModelFile = SavedNMF | SavedMiniBatchNMF | SavedTopicModel;

/** Before the fit: a --save path whose directory does not exist would waste it. */
export function checkSavePath(path: string | undefined): void {
  if (path !== undefined && !existsSync(dirname(path))) throw new CliError(`--save: the directory of ${path} does not exist.`, 2);
}

/** A fitted model's file, with the backend that was asked for. */
export function saveModel(path: string, saved: ModelFile, requestedBackend: unknown): void {
  const model = 'model' in saved ? saved.model : saved;
  model.params.backend = requestedBackend ?? 'auto';
  try {
    writeFileSync(path, `${JSON.stringify(saved)}\n`);
  } catch (e) {
    throw new CliError(`--save: cannot write ${path}: ${(e as Error).message}`);
  }
  process.stdout.write(`saved the model to ${path}\n`);
}

/** A model file: parsed, and of a kind `transform` knows (each loader checks the rest). */
export function readModelFile(path: string): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(readInput(path).toString('utf8'));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: not a model file (not JSON: ${(e as Error).message}).`);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== 'webnmf.NMF' && format !== 'webnmf.MiniBatchNMF' && format !== TOPIC_MODEL_FORMAT) {
    throw new CliError(`${path}: not a model file of webnmf fit --save or webnmf topics --save (its format is ${JSON.stringify(format ?? null)}).`);
  }
  if (format === TOPIC_MODEL_FORMAT) {
    const { version, vectorizer, model } = json as Partial<SavedTopicModel>;
    if (typeof version !== 'number' || version > TOPIC_MODEL_VERSION) {
      throw new CliError(`${path}: a topic model of version ${String(version)}; this webnmf reads version ${TOPIC_MODEL_VERSION}. Update webnmf to read it.`);
    }
    if (typeof vectorizer !== 'object' || typeof model !== 'object') throw new CliError(`${path}: a topic model needs its 'vectorizer' and its 'model'.`);
  }
  return json as ModelFile;
}
