// The "code" panel: the webnmf calls the page makes for the current settings, and the scikit-learn
// calls that compute the same thing (names in snake_case; what has no counterpart there is said in
// a comment). Regenerated on every change of the form.

import { estimatorOptions, type NmfSettings } from '../shared/nmf-form.js';
import { h } from '../shared/ui.js';
import { tfidfOptions, type CorpusSpec, type VectorizerSettings } from './pipeline.js';

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^alpha_w$/, 'alpha_W').replace(/^alpha_h$/, 'alpha_H');

function js(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** Python's literal; `float` writes whole numbers as 1.0 (scikit-learn reads an int max_df as a count). */
function py(v: unknown, float = false): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' && float && Number.isInteger(v)) return `${v}.0`;
  return String(v);
}

function corpusLines(corpus: CorpusSpec | null, comment: '//' | '#'): string[] {
  const what = !corpus || corpus.kind === 'custom'
    ? 'your texts, one string each'
    : `the State of the Union addresses ${corpus.fromYear}–${corpus.toYear}, cut into\n${comment} runs of whole sentences of at least ${corpus.wordsPerPassage} words`;
  return [`${comment} documents: ${what}`, comment === '//' ? 'const documents = [/* … */];' : 'documents = [...]'];
}

export function webnmfCode(nmf: NmfSettings, v: VectorizerSettings, corpus: CorpusSpec | null): string {
  const options = Object.entries(estimatorOptions(nmf)).filter(([k, value]) => !(k === 'checkEvery' && value === null));
  const page = nmf.backend === 'gpujs';
  const cls = page ? nmf.estimator : `Worker${nmf.estimator}`;
  return [
    `import { TfidfVectorizer${page ? `, ${nmf.estimator}, useGpujs` : ''} } from 'webnmf';`,
    ...(page ? ["import * as gpujs from 'gpu.js';", 'useGpujs(gpujs); // gpu.js runs on the thread it was given to: the page'] : [`import { ${cls} } from 'webnmf/worker';`]),
    '',
    ...corpusLines(corpus, '//'),
    'const vectorizer = new TfidfVectorizer({',
    ...Object.entries(tfidfOptions(v)).map(([k, x]) => `  ${k}: ${js(x)},`),
    '});',
    'const X = vectorizer.fitTransform(documents);',
    `const nmf = new ${cls}({`,
    ...options.map(([k, x]) => `  ${k}: ${js(x)},`),
    '  // each check: info.iteration, info.loss | violation; fit.factors() reads the live W, H',
    '  onProgress: (info, fit) => {},',
    '});',
    'const W = await nmf.fitTransform(X);   // documents × topics; nmf.components is H',
    ...(page ? [] : ['nmf.dispose();']),
  ].join('\n');
}

export function sklearnCode(nmf: NmfSettings, v: VectorizerSettings, corpus: CorpusSpec | null): string {
  const o = estimatorOptions(nmf);
  const skip = new Set(['backend', 'checkEvery', 'nlsMaxIter', 'sparseness', 'beta', 'eta']);
  const args = Object.entries(o)
    .filter(([k]) => !skip.has(k))
    .map(([k, x]) => `${snake(k)}=${py(x, k === 'tol' || k === 'alphaW' || k === 'l1Ratio' || k === 'forgetFactor')}`);
  const tfidf = tfidfOptions(v);
  const lines = [
    'from sklearn.feature_extraction.text import TfidfVectorizer',
    `from sklearn.decomposition import ${nmf.estimator}`,
    '',
    ...corpusLines(corpus, '#'),
    'vectorizer = TfidfVectorizer(',
    `    max_features=${tfidf.maxFeatures},`,
    `    min_df=${py(tfidf.minDf, tfidf.minDf < 1)},`,
    `    max_df=${py(tfidf.maxDf, tfidf.maxDf <= 1)},`,
    `    stop_words=${py(tfidf.stopWords)},`,
    ')',
    'X = vectorizer.fit_transform(documents)',
    `nmf = ${nmf.estimator}(`,
    ...args.map((a) => `    ${a},`),
    ')',
    'W = nmf.fit_transform(X)  # nmf.components_ is H',
    `# backend '${nmf.backend}'${nmf.checkEvery === null ? '' : ` and checkEvery ${nmf.checkEvery}`} are webnmf's:`,
    '# scikit-learn computes on the CPU, in float64',
  ];
  if (nmf.estimator === 'NMF' && nmf.solver === 'pg') {
    lines.push(
      "# solver='pg' is scikit-learn 0.18's (removed in 0.19); there: NMF(..., solver='pg',",
      `#   nls_max_iter=${nmf.pg.nlsMaxIter}, sparseness=${py(nmf.pg.sparseness)}, beta=${nmf.pg.beta}, eta=${nmf.pg.eta}), with alpha = alpha_W · n_features`,
    );
  }
  return lines.join('\n');
}

export function renderCode(root: HTMLElement, nmf: NmfSettings, v: VectorizerSettings, corpus: CorpusSpec | null): void {
  const block = (title: string, code: string, lang: string) => {
    const copy = h('button', { type: 'button', class: 'secondary copy', title: 'Copy to the clipboard' }, 'Copy');
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(code).then(
        () => (copy.textContent = 'Copied'),
        () => (copy.textContent = 'Select and copy'),
      );
    });
    return h('section', { class: 'code-block' }, h('header', {}, h('h3', {}, title), copy), h('pre', { 'data-lang': lang }, h('code', {}, code)));
  };
  root.replaceChildren(block('webnmf (JavaScript)', webnmfCode(nmf, v, corpus), 'js'), block('scikit-learn (Python)', sklearnCode(nmf, v, corpus), 'python'));
}
