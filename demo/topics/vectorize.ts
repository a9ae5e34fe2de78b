// The page's side of vectorize.worker.ts: the corpus and its TF-IDF matrix are built off the page's
// thread (a century of addresses takes seconds), then handed to the fit. Stop ends the worker at
// once, wherever it is (loading the corpus chunk, tokenizing).

import { InvalidParameterError } from '../../src/index.js';
import type { CorpusSpec, VectorizedCorpus, VectorizerSettings } from './pipeline.js';

export interface VectorizeRequest {
  corpus: CorpusSpec;
  vectorizer: VectorizerSettings;
}

export type VectorizeReply = { stage: string } | { data: VectorizedCorpus } | { error: { name: string; message: string; parameter?: string } };

/** vectorizeCorpus in vectorize.worker.ts; `stage` sees its progress; `signal` ends the worker and rejects with its reason. */
export function vectorizeOffThread(request: VectorizeRequest, stage: (text: string) => Promise<void>, signal: AbortSignal): Promise<VectorizedCorpus> {
  signal.throwIfAborted();
  const worker = new Worker(new URL('./vectorize.worker.ts', import.meta.url), { type: 'module', name: 'webnmf demo: TF-IDF' });
  let onAbort = () => {};
  return new Promise<VectorizedCorpus>((resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    worker.addEventListener('message', (e: MessageEvent<VectorizeReply>) => {
      const m = e.data;
      if ('stage' in m) stage(m.stage).catch(reject);
      else if ('data' in m) resolve(m.data);
      // the vectorizer's InvalidParameterError names its option (minDf, maxDf, …): the page marks that field
      else reject(m.error.parameter !== undefined ? new InvalidParameterError(m.error.parameter, m.error.message) : Object.assign(new Error(m.error.message), { name: m.error.name }));
    });
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`the TF-IDF worker failed: ${e.message}`));
    });
    worker.postMessage(request);
  }).finally(() => {
    signal.removeEventListener('abort', onAbort);
    worker.terminate();
  });
}
