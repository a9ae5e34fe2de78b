// The page's side of vectorize.worker.ts: the corpus and its TF-IDF matrix are built off the page's
// thread (a century of addresses takes seconds), then handed to the fit.

import type { CorpusSpec, VectorizedCorpus, VectorizerSettings } from './pipeline.js';

export interface VectorizeRequest {
  corpus: CorpusSpec;
  vectorizer: VectorizerSettings;
}

export type VectorizeReply = { stage: string } | { data: VectorizedCorpus } | { error: { name: string; message: string } };

/** vectorizeCorpus in vectorize.worker.ts; `stage` sees its progress and may throw (Stop), which ends the worker. */
export function vectorizeOffThread(request: VectorizeRequest, stage: (text: string) => Promise<void>): Promise<VectorizedCorpus> {
  const worker = new Worker(new URL('./vectorize.worker.ts', import.meta.url), { type: 'module', name: 'webnmf demo: TF-IDF' });
  return new Promise<VectorizedCorpus>((resolve, reject) => {
    worker.addEventListener('message', (e: MessageEvent<VectorizeReply>) => {
      const m = e.data;
      if ('stage' in m) stage(m.stage).catch(reject);
      else if ('data' in m) resolve(m.data);
      else reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    });
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`the TF-IDF worker failed: ${e.message}`));
    });
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}
