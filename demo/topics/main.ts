// The topic-modeling page: reads the form, builds the TF-IDF matrix (in a worker of the demo's),
// fits it in a WorkerNMF (webnmf/worker's), draws the results.

import { LossChart } from '../shared/loss-chart.js';
import type { DemoProbe } from '../shared/probe.js';
import { bindNmfForm, fieldOf } from '../shared/nmf-form.js';
import { FitSession } from '../shared/session.js';
import { $, StatusCard, formatInt, markStale, probeEnvironment, showEnvironment } from '../shared/ui.js';
import { SOTU_FIRST_YEAR, SOTU_LAST_YEAR, parseUserText, type Corpus } from './corpus.js';
import { summarizeTopics, type CorpusSpec, type TextResult, type VectorizerSettings } from './pipeline.js';
import { vectorizeOffThread } from './vectorize.js';
import { heatmapCaption, rampCss, renderDocuments, renderHeatmap, renderTopics } from './views.js';

/** Rows of the heatmap at most: beyond this, documents are sampled evenly. */
const HEATMAP_ROWS = 240;

const form = $<HTMLFormElement>('#controls');
const field = fieldOf(form);
const nmfForm = bindNmfForm(form);
const status = new StatusCard($('#status'));
const chart = new LossChart($('#chart'));
const session = new FitSession({ status, chart, fitButton: $<HTMLButtonElement>('#fit'), stopButton: $<HTMLButtonElement>('#stop') });
let custom: (Corpus & { name: string }) | null = null;
let lastTopics: string[][] = [];

$('#ramp').style.background = rampCss();
void probeEnvironment().then(showEnvironment);

// ---------- form behaviour ----------

const corpusSelect = field<HTMLSelectElement>('corpus');
function showCorpusOptions(): void {
  const own = corpusSelect.value === 'custom';
  $('#sotu-options').hidden = own;
  $('#custom-options').hidden = !own;
}
corpusSelect.addEventListener('change', showCorpusOptions);
showCorpusOptions();

// ---------- your own text: paste, pick or drop ----------

const textArea = field<HTMLTextAreaElement>('customText');
const note = $('#custom-note');
function useCustomText(text: string, name: string): void {
  const parsed = parseUserText(text, name);
  custom = { ...parsed, name };
  note.textContent = parsed.documents.length > 0 ? `${name}: ${parsed.note}.` : `${name}: no text found.`;
}
textArea.addEventListener('input', () => useCustomText(textArea.value, 'pasted text'));

async function readFile(file: File): Promise<void> {
  const text = await file.text();
  textArea.value = text.length > 20_000 ? `${text.slice(0, 20_000)}\n…` : text;
  useCustomText(text, file.name);
  corpusSelect.value = 'custom';
  showCorpusOptions();
}
field<HTMLInputElement>('file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void readFile(file);
});

const dropzone = $('#custom-options');
for (const target of [dropzone, document.body]) {
  target.addEventListener('dragover', (e) => {
    e.preventDefault();
    dropzone.classList.add('over');
  });
  target.addEventListener('dragleave', () => dropzone.classList.remove('over'));
  target.addEventListener('drop', (e) => {
    e.preventDefault();
    dropzone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void readFile(file);
  });
}

// ---------- reading the settings ----------

function num(name: string): number {
  return Number(field<HTMLInputElement>(name).value);
}

function corpusSpec(): CorpusSpec | string {
  if (corpusSelect.value === 'custom') {
    if (!custom || custom.documents.length === 0) return 'Paste some text, or drop a .txt or .csv file, first.';
    return { kind: 'custom', name: custom.name, documents: custom.documents, labels: custom.labels };
  }
  const clampYear = (y: number) => Math.min(SOTU_LAST_YEAR, Math.max(SOTU_FIRST_YEAR, Math.round(y) || SOTU_FIRST_YEAR));
  return { kind: 'sotu', fromYear: clampYear(num('fromYear')), toYear: clampYear(num('toYear')), wordsPerPassage: Math.max(10, num('wordsPerPassage') || 120) };
}

function vectorizerSettings(): VectorizerSettings {
  return { maxFeatures: num('maxFeatures'), minDf: num('minDf'), maxDf: num('maxDf'), stopWords: field<HTMLInputElement>('stopWords').checked, useIdf: true };
}

// ---------- running ----------

function showResult(result: TextResult, k: number): void {
  lastTopics = result.topics.map((t) => t.words);
  renderTopics($('#topics'), result.topics);
  renderHeatmap($('#heatmap'), result.heatmap, k);
  $('#heatmap-sub').textContent = heatmapCaption(result.heatmap);
  renderDocuments($('#documents'), result.topics);
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (session.running) return;
  const corpus = corpusSpec();
  if (typeof corpus === 'string') {
    status.clearMessages();
    status.set('error', corpus);
    return;
  }
  const nmf = nmfForm.settings();
  const results = [$('#topics'), $('#heatmap'), $('#documents')];
  markStale(results, true);
  const vectorizer = vectorizerSettings();
  const nWords = Math.max(3, Math.min(30, num('topWords') || 10));
  const outcome = await session.run({
    nmf,
    stats: ['documents', 'terms', 'nonzeros'],
    firstStage: 'Loading the corpus…',
    async run(fit, stage) {
      const data = await vectorizeOffThread({ corpus, vectorizer }, stage);
      const { X } = data;
      const nonzeros = X.indptr[X.rows];
      status.stat('documents', formatInt(X.rows));
      status.stat('terms', formatInt(X.cols));
      status.stat('nonzeros', `${formatInt(nonzeros)} (${((100 * nonzeros) / Math.max(1, X.rows * X.cols)).toFixed(2)}%)`);
      await stage(`Fitting ${nmf.nComponents} topics to ${formatInt(X.rows)} documents…`);
      // X moves to the fit's worker: the page needs only W and H afterwards
      const { W, H } = await fit(X, { transfer: true });
      await stage('Reading topics and documents…');
      return summarizeTopics(data, W, H, nWords, HEATMAP_ROWS);
    },
  });
  if (outcome.status === 'done') {
    markStale(results, false);
    showResult(outcome.result, outcome.summary.nComponents);
    document.title = `${formatInt(outcome.summary.nComponents)} topics · webnmf demo`;
  }
});

const probe: DemoProbe = {
  page: 'topics',
  state: () => ($('#status').dataset.state ?? 'idle') as ReturnType<DemoProbe['state']>,
  series: () => ({ measure: chart.plotted, values: chart.series }),
  topics: () => lastTopics,
  drawn: () => ({ components: 0, reconstructions: 0 }),
};
window.demo = probe;
