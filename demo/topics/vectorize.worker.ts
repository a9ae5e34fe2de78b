// The topics page's text work, off its thread: load and cut the corpus, build its TF-IDF matrix
// (a century of addresses takes seconds). The fit then runs in webnmf/worker's own worker.

import { vectorizeCorpus } from './pipeline.js';
import type { VectorizeReply, VectorizeRequest } from './vectorize.js';

const scope = globalThis as unknown as { postMessage(m: VectorizeReply, transfer?: Transferable[]): void };

addEventListener('message', async (e: Event) => {
  const { corpus, vectorizer } = (e as MessageEvent<VectorizeRequest>).data;
  try {
    const data = await vectorizeCorpus(corpus, vectorizer, async (text) => scope.postMessage({ stage: text }));
    scope.postMessage({ data }, [data.X.indptr.buffer, data.X.indices.buffer, data.X.data.buffer]);
  } catch (err) {
    scope.postMessage({ error: { name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) } });
  }
});
