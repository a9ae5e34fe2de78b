// The NMF fieldset both pages share: its behaviour (which options apply to the estimator and solver
// chosen, the l1 ratio's readout) and reading it into NmfSettings. An empty or non-numeric field is
// refused here, naming the field (Number('') would be a silent 0); ranges are the library's to check
// (its InvalidParameterError names the option, and the page maps it back to the field).

import type { BackendName, BetaLossName, Init, Solver, Sparseness } from '../../src/index.js';
import { $ } from './ui.js';

export type Estimator = 'NMF' | 'MiniBatchNMF';

/** The options a page can set (scikit-learn's names in camelCase), and which estimator takes them. */
export interface NmfSettings {
  estimator: Estimator;
  nComponents: number;
  solver: Solver;
  betaLoss: BetaLossName;
  /** null: scikit-learn's rule (nndsvda when k ≤ min(n, m), else random) */
  init: Init | null;
  alphaW: number;
  alphaH: number | 'same';
  l1Ratio: number;
  maxIter: number;
  tol: number;
  randomState: number;
  backend: BackendName;
  /** null: the backend's default (1 on the CPU, 10 on GPUs) */
  checkEvery: number | null;
  shuffle: boolean;
  /** 'pg' only */
  pg: { nlsMaxIter: number; sparseness: Sparseness | null; beta: number; eta: number };
  /** MiniBatchNMF only */
  minibatch: { batchSize: number; forgetFactor: number; freshRestarts: boolean; maxNoImprovement: number | null };
}

/** A field the user must correct: its name (to focus it) and what is wrong, in the page's words. */
export class FormError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'FormError';
  }
}

export type FieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function fieldOf(form: HTMLFormElement) {
  return <T extends FieldElement = HTMLInputElement>(name: string): T => {
    const el = form.elements.namedItem(name);
    if (!el) throw new Error(`the form has no field '${name}'`);
    return el as T;
  };
}

/** The label a person sees for a field ("Topics (k)"), for messages. */
export function labelOf(el: Element): string {
  const span = el.closest('label')?.querySelector(':scope > span');
  const own = span?.firstChild?.textContent ?? el.getAttribute('name') ?? 'field';
  return own.trim();
}

/** Reads numeric fields: empty means `fallback` when the field may be left empty, else a FormError. */
export function numberReader(form: HTMLFormElement) {
  return (name: string, optional: { empty: number | null } | null = null): number => {
    const el = form.elements.namedItem(name) as HTMLInputElement | null;
    if (!el) throw new Error(`the form has no field '${name}'`);
    const text = el.value.trim();
    if (text === '') {
      if (optional) return optional.empty as number;
      throw new FormError(name, `“${labelOf(el)}” is empty: enter a number${el.min ? ` (at least ${el.min})` : ''}.`);
    }
    const value = Number(text);
    if (!Number.isFinite(value)) throw new FormError(name, `“${labelOf(el)}” must be a number; “${text}” is not one.`);
    return value;
  };
}

/** What the convergence chart draws for a fit of these settings. */
export function measureNote(s: Pick<NmfSettings, 'estimator' | 'solver'> & { tol?: number }): string {
  if (s.estimator === 'MiniBatchNMF') return 'MiniBatchNMF reports the cost of each mini-batch';
  if (s.solver !== 'mu') return `'${s.solver}' reports its projected-gradient violation, relative to the start, at every check`;
  return s.tol === 0
    ? "'mu' with tol = 0 computes no loss (as scikit-learn): the time per iteration, every 10 iterations"
    : "'mu' reports the loss √(2·β-divergence) every 10 iterations";
}

/** Show which fields apply: 'cd' takes only the Frobenius loss; pg and MiniBatchNMF options appear with them. */
export function bindNmfForm(form: HTMLFormElement): { settings(): NmfSettings; sync(): void } {
  const field = fieldOf(form);
  const has = (name: string) => form.elements.namedItem(name) !== null;
  const solver = field<HTMLSelectElement>('solver');
  const beta = field<HTMLSelectElement>('betaLoss');
  const estimator = has('estimator') ? field<HTMLSelectElement>('estimator') : null;
  const chartSub = document.querySelector('#chart-sub');
  const sync = () => {
    const mb = estimator?.value === 'MiniBatchNMF';
    solver.disabled = mb;
    const frobeniusOnly = !mb && solver.value !== 'mu';
    for (const o of Array.from(beta.options)) o.disabled = frobeniusOnly && o.value !== 'frobenius';
    if (frobeniusOnly) beta.value = 'frobenius';
    for (const el of Array.from(form.querySelectorAll<HTMLElement>('[data-for-solver]'))) el.hidden = mb || el.dataset.forSolver !== solver.value;
    for (const el of Array.from(form.querySelectorAll<HTMLElement>('[data-for-estimator]'))) el.hidden = el.dataset.forEstimator !== (estimator?.value ?? 'NMF');
    if (chartSub) chartSub.textContent = measureNote({ estimator: (estimator?.value ?? 'NMF') as Estimator, solver: solver.value as Solver });
  };
  solver.addEventListener('change', sync);
  estimator?.addEventListener('change', sync);
  sync();

  const l1 = field('l1Ratio');
  const l1Out = $('#l1Ratio-out');
  const showL1 = () => (l1Out.textContent = Number(l1.value).toFixed(2));
  l1.addEventListener('input', showL1);
  showL1();

  const num = numberReader(form);
  const optionalNum = (name: string, fallback: number) => (has(name) ? num(name) : fallback);
  const checked = (name: string, fallback: boolean) => (has(name) ? field(name).checked : fallback);
  return {
    sync,
    settings: () => {
      const alphaH = field('alphaH').value.trim();
      if (alphaH !== '' && alphaH !== 'same' && !Number.isFinite(Number(alphaH))) {
        throw new FormError('alphaH', `“αH” must be a number or “same”; “${alphaH}” is neither.`);
      }
      const noImprovement = has('maxNoImprovement') ? field('maxNoImprovement').value.trim() : '';
      return {
        estimator: (estimator?.value ?? 'NMF') as Estimator,
        nComponents: num('nComponents'),
        solver: solver.value as Solver,
        betaLoss: beta.value as BetaLossName,
        init: (field<HTMLSelectElement>('init').value || null) as Init | null,
        alphaW: num('alphaW'),
        alphaH: alphaH === '' || alphaH === 'same' ? 'same' : Number(alphaH),
        l1Ratio: num('l1Ratio'),
        maxIter: num('maxIter'),
        tol: num('tol'),
        randomState: num('randomState'),
        backend: field<HTMLSelectElement>('backend').value as BackendName,
        checkEvery: has('checkEvery') ? num('checkEvery', { empty: null }) : null,
        shuffle: checked('shuffle', false),
        pg: {
          nlsMaxIter: optionalNum('nlsMaxIter', 2000),
          sparseness: (has('sparseness') ? field<HTMLSelectElement>('sparseness').value || null : null) as Sparseness | null,
          beta: optionalNum('pgBeta', 1),
          eta: optionalNum('pgEta', 0.1),
        },
        minibatch: {
          batchSize: optionalNum('batchSize', 1024),
          forgetFactor: optionalNum('forgetFactor', 0.7),
          freshRestarts: checked('freshRestarts', false),
          maxNoImprovement: noImprovement === '' ? null : num('maxNoImprovement'),
        },
      };
    },
  };
}

/** The options object the library takes for these settings (only those that apply). */
export function estimatorOptions(s: NmfSettings): Record<string, unknown> {
  const nmfOnly = s.estimator === 'NMF';
  return {
    nComponents: s.nComponents,
    ...(nmfOnly ? { solver: s.solver } : {}),
    betaLoss: s.betaLoss,
    init: s.init,
    maxIter: s.maxIter,
    tol: s.tol,
    alphaW: s.alphaW,
    alphaH: s.alphaH,
    l1Ratio: s.l1Ratio,
    randomState: s.randomState,
    ...(nmfOnly && s.solver === 'cd' ? { shuffle: s.shuffle } : {}),
    ...(nmfOnly && s.solver === 'pg' ? s.pg : {}),
    ...(nmfOnly ? {} : s.minibatch),
    backend: s.backend,
    ...(nmfOnly ? { checkEvery: s.checkEvery } : {}),
  };
}
